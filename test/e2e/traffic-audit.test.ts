/**
 * Traffic control, audit trail and observability of a generated server, for real: its own
 * tests run against the Redis at 127.0.0.1:6379 (two server processes sharing one limit),
 * then `npm start` is driven with concurrent calls against a small limit, over its HTTP
 * request budget, through /metrics, and its audit file is checked by `npm run audit:verify`,
 * intact and tampered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, createKey, generateFromSpec, npmRun, SLOW, startHttp, type RunningServer, SERVED } from './generated-repo.js';
/** The per-tenant, per-tool limit the server runs with, and the calls made at once against it. */
const LIMIT = 5;
const CALLS = 20;

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let auditFile: string;
let server: RunningServer | undefined;
let key: string;

beforeAll(async () => {
  root = await tempDir('cms-e2e-traffic-');
  dir = join(root.path, 'traffic-mcp');
  auditFile = join(root.path, 'audit.jsonl');
  await generateFromSpec(dir, {
    name: 'traffic-mcp',
    transport: 'both',
    auth: 'api-key',
    tools: [
      { name: 'search_customers', access: 'read', params: [{ name: 'query', type: 'string', required: false }] },
      { name: 'create_note', access: 'write', params: [{ name: 'name', type: 'string', required: true }] },
    ],
  });
}, SLOW);
afterAll(async () => {
  await server?.stop();
  await root.remove();
}, SERVED);

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text?: string } | undefined)?.text ?? '';

describe('traffic control, audit trail and observability', () => {
  it('passes its own tests, the Redis ones included', async () => {
    await npmRun(dir, 'build');
    // npmRun gives it REDIS_URL (E2E_REDIS_URL, default the Redis at 127.0.0.1:6379).
    const out = await npmRun(dir, 'test');
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed|skipped/);
    // The shared-limit tests ran (they are skipped without REDIS_URL).
    expect(out).toMatch(/rate-limit-redis\.test\.ts \(2 tests\)/);
  }, SLOW);

  it(`lets exactly ${LIMIT} of ${CALLS} concurrent calls through, and tells the others how long to wait`, async () => {
    key = await createKey(dir, 'acme', 'tools:read,tools:write');
    server = await startHttp(dir, {
      AUDIT_LOG: auditFile,
      RATE_LIMIT_TOOL_PER_MINUTE: String(LIMIT),
      RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE: '40',
    });
    const client = await connectHttp(server.url, key, 'auto');
    try {
      const results = await Promise.all(
        Array.from({ length: CALLS }, (_, i) => client.callTool({ name: 'search_customers', arguments: { query: `q${i}` } })),
      );
      expect(results.filter((result) => !result.isError)).toHaveLength(LIMIT);
      const limited = results.filter((result) => result.isError);
      expect(limited).toHaveLength(CALLS - LIMIT);
      for (const result of limited) {
        expect(text(result)).toMatch(/^\[rate_limited\] Too many calls to search_customers for this tenant\. Retry in \d+ seconds?\.$/);
      }
    } finally {
      await client.close();
    }
  }, SERVED);

  it('answers 429 with Retry-After once the tenant spends its request budget', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${key}` };
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'e2e', version: '1.0.0' } },
    });
    let refused: Response | undefined;
    for (let i = 0; i < 50 && !refused; i++) {
      const response = await fetch(server!.url, { method: 'POST', headers, body });
      if (response.status === 429) refused = response;
      else await response.body?.cancel();
    }
    expect(refused?.status).toBe(429);
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(await refused!.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringMatching(/^Too many requests for this tenant/) } });
  }, SERVED);

  it('reports calls, refusals, auth failures and health on /metrics', async () => {
    expect((await fetch(server!.url, { method: 'POST', body: '{}' })).status).toBe(401);
    const response = await fetch(server!.url.replace('/mcp', '/metrics'));
    expect(response.status).toBe(200);
    const metrics = await response.text();
    expect(metrics).toMatch(new RegExp(`^mcp_tool_calls_total\\{tool="search_customers",outcome="ok"\\} ${LIMIT}$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^mcp_tool_calls_total\\{tool="search_customers",outcome="rate_limited"\\} ${CALLS - LIMIT}$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^mcp_rate_limited_total\\{limit="tool",tool="search_customers"\\} ${CALLS - LIMIT}$`, 'm'));
    expect(metrics).toMatch(/^mcp_rate_limited_total\{limit="tenant_requests",tool=""\} [1-9]\d*$/m);
    expect(metrics).toMatch(new RegExp(`^mcp_tool_call_duration_seconds_count\\{tool="search_customers",outcome="ok"\\} ${LIMIT}$`, 'm'));
    expect(metrics).toMatch(/^mcp_auth_failures_total\{reason="missing"\} 1$/m);
    expect(metrics).toMatch(/^mcp_backend_up\{backend="sample"\} 1$/m);
    expect(metrics).toMatch(/^mcp_dependency_up\{dependency="audit"\} 1$/m);
  }, SERVED);

  it('wrote one sealed record per call; audit:verify finds the file intact, then names the tampered record', async () => {
    expect(await server!.stop()).toBe(0);
    server = undefined;
    const lines = (await readFile(auditFile, 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(CALLS);
    expect(await npmRun(dir, 'audit:verify', [auditFile])).toContain(`intact, ${CALLS} record(s) in 1 chain(s)`);

    lines[6] = lines[6]!.replace(/"outcome":"[a-z_]+"/, '"outcome":"ok"').replace('"query":"q', '"query":"tampered-q');
    await writeFile(auditFile, `${lines.join('\n')}\n`);
    const verify = await execa('npm', ['run', '--silent', 'audit:verify', '--', auditFile], { cwd: dir, reject: false });
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toMatch(/BROKEN at line 7 \(seq 7, request [0-9a-f-]{36}, [0-9T:.Z-]+\): its hash does not match its content/);
  }, SERVED);
});
