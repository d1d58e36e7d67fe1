/**
 * Traffic control and observability at the HTTP surface: 429 / 503 with Retry-After, /metrics,
 * /readyz reflecting a downed backend, and `traceparent` headers honoured.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

import { createSlowTool, echo, probeTools } from './support/probe-tools.js';
import { initializeBody, MCP_HEADERS, rawRequest, startHttpServer, type TestHttpServer } from './support/http-server.js';

const PROBE_SCOPES = ['probe:read', 'probe:write'];

describe('HTTP traffic control and observability', () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const post = (headers: Record<string, string> = server!.authHeaders) =>
    rawRequest(server!.url, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body: initializeBody() });
  const metrics = async () => (await rawRequest(server!.url, { path: '/metrics' })).body;

  it('answers 429 with Retry-After once a tenant spends its request budget', async () => {
    server = await startHttpServer({ env: { RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE: '3' } });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(JSON.parse(refused.body)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: expect.stringMatching(/^Too many requests for this tenant\. Retry in \d+ seconds?\.$/) },
      id: 1, // the request's own
    });
    expect(await metrics()).toMatch(/^mcp_rate_limited_total\{limit="tenant_requests",tool=""\} 1$/m);
  });

  it('takes a tool call\'s request budget and its own budgets in one go (one Redis round trip with REDIS_URL)', async () => {
    server = await startHttpServer({ tools: probeTools, scopes: PROBE_SCOPES, env: { RATE_LIMIT_TOOL_PER_MINUTE: '2' } });
    const client = await server.connect();
    const take = vi.spyOn(server.app.limiterStore, 'take');
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await client.callTool({ name: echo.name, arguments: { message: `m${i}` } }));
    // One take per call, holding both groups: [request budget], [tenant, tool, client].
    const callTakes = take.mock.calls.filter(([groups]) => groups.length === 2);
    expect(callTakes).toHaveLength(3);
    // …and the pipeline did not take the call's budgets again.
    expect(take.mock.calls.filter(([groups]) => groups.flat().some((budget) => budget.name === 'tenant'))).toHaveLength(3);
    expect(callTakes[0]![0].map((group) => group.map((budget) => budget.name))).toEqual([['requests'], ['tenant', `tool:${echo.name}`, 'client']]);
    // The pipeline reports what the transport took: the third call is over the tool budget.
    expect(results.map((result) => Boolean(result.isError))).toEqual([false, false, true]);
    expect(JSON.stringify(results[2]!.content)).toMatch(/Too many calls to probe\.echo for this tenant/);
  });

  it('sheds new requests with 503 while the process runs MAX_CALLS_IN_FLIGHT calls', async () => {
    const slow = createSlowTool();
    server = await startHttpServer({ tools: [echo, slow.tool], scopes: PROBE_SCOPES, env: { MAX_CALLS_IN_FLIGHT: '1' } });
    const client = await server.connect();
    const running = client.callTool({ name: slow.tool.name, arguments: {} });
    await slow.running;
    const shed = await post();
    expect(shed.status).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(await metrics()).toMatch(/^mcp_tool_calls_in_flight 1$/m);
    slow.release();
    await running;
    expect((await post()).status).toBe(200);
  });

  it('serves Prometheus metrics: calls by tool and outcome, latency, auth failures, health', async () => {
    server = await startHttpServer({ tools: probeTools, scopes: PROBE_SCOPES });
    const client = await server.connect();
    await client.callTool({ name: echo.name, arguments: { message: 'ok' } });
    await client.callTool({ name: echo.name, arguments: { message: 42 } });
    // Auth `none` has no credential to refuse.
    const authenticated = Object.keys(server.authHeaders).length > 0;
    if (authenticated) {
      expect((await post({})).status).toBe(401);
      expect((await post({ Authorization: 'Bearer not-a-valid-credential' })).status).toBe(401);
    }

    const response = await rawRequest(server.url, { path: '/metrics' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toMatch(/^mcp_tool_calls_total\{tool="probe\.echo",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^mcp_tool_calls_total\{tool="probe\.echo",outcome="invalid"\} 1$/m);
    expect(text).toMatch(/^mcp_tool_call_duration_seconds_count\{tool="probe\.echo",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^mcp_tool_call_duration_seconds_bucket\{le="\+Inf",tool="probe\.echo",outcome="ok"\} 1$/m);
    if (authenticated) {
      expect(text).toMatch(/^mcp_auth_failures_total\{reason="missing"\} 1$/m);
      expect(text).toMatch(/^mcp_auth_failures_total\{reason="invalid"\} 1$/m);
    }
    expect(text).toMatch(/^mcp_tool_calls_in_flight 0$/m);
    expect(text).toMatch(/^mcp_backend_up\{backend="[^"]+"\} 1$/m);
    expect(text).toMatch(/^mcp_dependency_up\{dependency="audit"\} 1$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    // No tenant label unless asked for (cardinality).
    expect(text).not.toContain('tenant="');
  });

  it('labels calls by tenant with METRICS_TENANT_LABEL=true', async () => {
    server = await startHttpServer({ tools: probeTools, scopes: PROBE_SCOPES, tenant: 'acme', env: { METRICS_TENANT_LABEL: 'true' } });
    const client = await server.connect();
    await client.callTool({ name: echo.name, arguments: { message: 'ok' } });
    expect(await metrics()).toMatch(/^mcp_tool_calls_total\{tool="probe\.echo",outcome="ok",tenant="acme"\} 1$/m);
  });

  it('reports a downed backend in /readyz and /metrics', async () => {
    server = await startHttpServer();
    vi.spyOn(server.app.backends, 'readiness').mockResolvedValue({ ready: false, checks: { crm: false } });
    const ready = await rawRequest(server.url, { path: '/readyz' });
    expect(ready.status).toBe(503);
    // The store the test environment picks: memory, or PostgreSQL when DATABASE_URL is set (checked as `state`).
    const store = server.app.sharedState.kind;
    const stateCheck = store === 'postgres' ? { state: true } : {};
    expect(JSON.parse(ready.body)).toEqual({ status: 'not_ready', checks: { crm: false, audit: true, ...stateCheck }, stateStore: store });
    expect(await metrics()).toMatch(/^mcp_backend_up\{backend="crm"\} 0$/m);
  });

  it('honours a traceparent header: the call joins the caller\'s trace', async () => {
    server = await startHttpServer({ tools: probeTools, scopes: PROBE_SCOPES });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const client = await server.connect({ headers: { ...server.authHeaders, traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    await client.callTool({ name: echo.name, arguments: { message: 'traced' } });
    const [record] = await server.auditRecords();
    expect(record?.traceId).toBe(traceId);
  });
});
