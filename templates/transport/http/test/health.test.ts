/**
 * The HTTP surface in front of the MCP handler: health endpoints, Host and Origin checks, the
 * body-size limit, and real clients of both protocol eras.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

import { tools } from '../src/tools/registry.js';
import { initializeBody, MCP_HEADERS, rawRequest, startHttpServer, type TestHttpServer } from './support/http-server.js';

describe('HTTP transport', () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers /healthz while the process is up', async () => {
    server = await startHttpServer();
    const response = await rawRequest(server.url, { path: '/healthz' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when the backends are ready and 503 when not', async () => {
    server = await startHttpServer();
    const ready = await rawRequest(server.url, { path: '/readyz' });
    expect(ready.status).toBe(200);
    // The store the test environment picks: memory, or PostgreSQL when DATABASE_URL is set (checked as `state`).
    const store = server.app.sharedState.kind;
    const stateCheck = store === 'postgres' ? { state: true } : {};
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', stateStore: store });

    vi.spyOn(server.app.backends, 'readiness').mockResolvedValue({ ready: false, checks: { sample: false } });
    const notReady = await rawRequest(server.url, { path: '/readyz' });
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({ status: 'not_ready', checks: { sample: false, audit: true, ...stateCheck }, stateStore: store });
  });

  it('answers unknown paths with 404', async () => {
    server = await startHttpServer();
    expect((await rawRequest(server.url, { path: '/admin' })).status).toBe(404);
  });

  it('serves tools to a modern (2026-07-28) client', async () => {
    server = await startHttpServer();
    const client = await server.connect({ era: 'modern' });
    const { tools: listed } = await client.listTools();
    expect(listed.map((tool) => tool.name)).toEqual(tools.map((tool) => tool.name));
  });

  it('serves tools to a 2025-era client', async () => {
    server = await startHttpServer();
    const client = await server.connect({ era: 'legacy' });
    const { tools: listed } = await client.listTools();
    expect(listed.map((tool) => tool.name)).toEqual(tools.map((tool) => tool.name));
  });

  it('refuses a Host it does not serve (DNS rebinding) with 403', async () => {
    server = await startHttpServer();
    const response = await rawRequest(server.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, ...server.authHeaders, Host: 'attacker.example' },
      body: initializeBody(),
    });
    expect(response.status).toBe(403);
  });

  it('accepts a Host listed in MCP_ALLOWED_HOSTS', async () => {
    server = await startHttpServer({ env: { MCP_ALLOWED_HOSTS: 'mcp.example.com' } });
    const headers = { ...MCP_HEADERS, ...server.authHeaders, Host: 'mcp.example.com:443' };
    expect((await rawRequest(server.url, { method: 'POST', headers, body: initializeBody() })).status).toBe(200);
    const loopback = { ...MCP_HEADERS, ...server.authHeaders, Host: `127.0.0.1:${server.url.port}` };
    expect((await rawRequest(server.url, { method: 'POST', headers: loopback, body: initializeBody() })).status).toBe(403);
  });

  it('refuses a browser Origin that is not allowed with 403', async () => {
    server = await startHttpServer({ env: { MCP_ALLOWED_ORIGINS: 'https://app.example.com' } });
    const post = (origin: string) =>
      rawRequest(server!.url, { method: 'POST', headers: { ...MCP_HEADERS, ...server!.authHeaders, Origin: origin }, body: initializeBody() });
    const refused = await post('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('Origin not allowed');
    expect((await post('https://app.example.com')).status).toBe(200);
  });

  it("accepts a page of the server's own origin, which DNS rebinding cannot forge", async () => {
    server = await startHttpServer({});
    const post = (headers: Record<string, string>) =>
      rawRequest(server!.url, { method: 'POST', headers: { ...MCP_HEADERS, ...server!.authHeaders, ...headers }, body: initializeBody() });
    const own = `127.0.0.1:${server.url.port}`;
    expect((await post({ Host: own, Origin: `http://${own}` })).status).toBe(200);
    // Another port on the same machine is another origin.
    expect((await post({ Host: own, Origin: `http://127.0.0.1:1` })).status).toBe(403);
    // A rebinding page sends its own name as Host, and the Host allow-list refuses it first.
    expect((await post({ Host: `evil.example:${server.url.port}`, Origin: `http://evil.example:${server.url.port}` })).status).toBe(403);
  });

  it('refuses a body that is not UTF-8, or nested absurdly deep, before it reaches a tool', async () => {
    server = await startHttpServer({});
    const post = (body: string | Buffer) => rawRequest(server!.url, { method: 'POST', headers: { ...MCP_HEADERS, ...server!.authHeaders }, body });
    // 0xff can never appear in UTF-8: decoding it leniently would run the call on altered text.
    const [before, after] = initializeBody().split('"raw"') as [string, string];
    const notUtf8 = await post(Buffer.concat([Buffer.from(`${before}"r`), Buffer.from([0xff]), Buffer.from(`w"${after}`)]));
    expect(notUtf8.status).toBe(400);
    expect(JSON.parse(notUtf8.body)).toMatchObject({ error: { code: -32700 } });
    const deep = await post(initializeBody().replace('"padding":""', `"padding":${'['.repeat(5000)}${']'.repeat(5000)}`));
    expect(deep.status).toBe(400);
    expect(JSON.parse(deep.body)).toMatchObject({ error: { code: -32600 } });
    expect((await post(initializeBody())).status).toBe(200);
  });

  it('answers a method /mcp does not serve with 405, not an internal error', async () => {
    server = await startHttpServer({});
    const trace = await rawRequest(server.url, { method: 'TRACE', headers: { ...MCP_HEADERS, ...server.authHeaders } });
    expect(trace.status).toBe(405);
    expect(trace.headers['allow']).toBe('GET, POST, DELETE');
  });

  it('refuses a body over MCP_MAX_BODY_BYTES with 413, declared or streamed', async () => {
    server = await startHttpServer({ env: { MCP_MAX_BODY_BYTES: '4096' } });
    const headers = { ...MCP_HEADERS, ...server.authHeaders };
    const declared = await rawRequest(server.url, { method: 'POST', headers, body: initializeBody(10_000) });
    expect(declared.status).toBe(413);
    const streamed = await rawRequest(server.url, { method: 'POST', headers, body: initializeBody(100_000), chunked: true });
    expect(streamed.status).toBe(413);
    expect((await rawRequest(server.url, { method: 'POST', headers, body: initializeBody(1_000) })).status).toBe(200);
  });
});
