/**
 * `--backend http --backend sample`: a generated server over an internal REST API (and the
 * sample backend for one tool), installed, built and tested; its own tests prove retries,
 * timeouts and the circuit breaker opening and closing against misbehaving upstreams on
 * 127.0.0.1. Then `npm start` serves real SDK Clients against the repo's sample API started by
 * this test, which records what reaches it: each tenant's own credential, never the MCP key;
 * the API going away opens the breaker (readiness 503, clean errors), and coming back closes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, createKey, freePort, generate, npmRun, runCiCommands, SLOW, startHttp, structured, type RunningServer } from './generated-repo.js';

interface SampleApi {
  url: string;
  credentials: Record<string, string>;
  requests: Array<{ method: string; path: string; tenant: string | undefined; authorization: string | undefined }>;
  close(): Promise<void>;
}
type StartSampleApi = (options?: { port?: number; credentials?: Record<string, string> }) => Promise<SampleApi>;

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let server: RunningServer | undefined;
let api: SampleApi | undefined;

const spec = {
  name: 'orders-http',
  description: 'Orders from the internal orders API.',
  transport: 'http',
  auth: 'api-key',
  backends: [{ kind: 'http' }, { kind: 'sample' }],
  tools: [
    {
      name: 'search_orders',
      access: 'read',
      params: [
        { name: 'query', type: 'string', required: false },
        { name: 'limit', type: 'integer', required: false },
      ],
    },
    { name: 'get_order', access: 'read', params: [{ name: 'id', type: 'string' }] },
    { name: 'create_order', access: 'write', params: [{ name: 'title', type: 'string' }, { name: 'urgent', type: 'boolean', required: false }] },
    { name: 'update_order', access: 'write', params: [{ name: 'id', type: 'string' }, { name: 'title', type: 'string', required: false }] },
    { name: 'search_notes', access: 'read', backend: 'sample' },
  ],
};

beforeAll(async () => {
  root = await tempDir('cms-e2e-httpapi-');
  dir = join(root.path, 'orders-http');
  const config = join(root.path, 'spec.json');
  await writeFile(config, JSON.stringify(spec));
  await generate(dir, '--config', config);
}, SLOW);

afterAll(async () => {
  await server?.stop();
  await api?.close();
  await root.remove();
}, 60_000);

describe('http backend', () => {
  it('builds and passes its own tests: retries, timeouts, the breaker, tenants', async () => {
    const out = (await runCiCommands(dir))['npm test'];
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/\d+ failed/);
    const verbose = await npmRun(dir, 'test', ['--reporter=verbose', 'test/http-backend.test.ts', 'test/tenancy-http.test.ts']);
    for (const name of [
      'retries a GET through a flapping upstream, with backoff, and reports the attempts',
      'never retries a POST without an Idempotency-Key; retries one with a key',
      'times out each attempt of a slow upstream',
      'opens the breaker after consecutive failures, fails fast while open, and closes when the API recovers',
      'refuses answers over HTTP_API_MAX_RESPONSE_BYTES, declared or streamed',
      "no tool of this server lets another tenant read or change acme's records",
      'does not let a read tool change anything, and sends nothing',
    ]) {
      expect(verbose).toMatch(new RegExp(`✓ .*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    expect(verbose).not.toMatch(/\d+ failed/);
  }, SLOW);

  it("serves real Clients over the API with each tenant's own credential; the breaker opens and closes", async () => {
    // The repo's own sample API, started here so this test can see what reaches it.
    const { startSampleApi } = (await import(join(dir, 'test/support/sample-api.ts'))) as { startSampleApi: StartSampleApi };
    const port = await freePort();
    api = await startSampleApi({ port });
    const acmeKey = await createKey(dir, 'acme', 'tools:read,tools:write');
    const globexKey = await createKey(dir, 'globex', 'tools:read,tools:write');
    await npmRun(dir, 'build');
    server = await startHttp(dir, {
      HTTP_API_BASE_URL: api.url,
      HTTP_API_CREDENTIALS: JSON.stringify({ acme: api.credentials.acme, globex: api.credentials.globex }),
      HTTP_API_RETRIES: '1',
      HTTP_API_RETRY_BASE_MS: '20',
      HTTP_API_BREAKER_THRESHOLD: '3',
      HTTP_API_BREAKER_HALF_OPEN_MS: '1500',
    });
    const readyz = server.url.replace('/mcp', '/readyz');
    expect(await (await fetch(readyz)).json()).toMatchObject({ status: 'ready', checks: { http: true, sample: true } });

    const acme = await connectHttp(server.url, acmeKey, 'auto');
    const globex = await connectHttp(server.url, globexKey, 'legacy');
    try {
      const title = `Acme rush order ${Date.now()}`;
      const created = structured(await acme.callTool({ name: 'create_order', arguments: { title, urgent: true } })) as { record: { id: string } };
      expect(JSON.stringify(structured(await acme.callTool({ name: 'search_orders', arguments: { query: title } })))).toContain(title);
      expect(JSON.stringify(structured(await globex.callTool({ name: 'search_orders', arguments: { query: title } })))).not.toContain(title);
      const got = await globex.callTool({ name: 'get_order', arguments: { id: created.record.id } });
      expect(got.isError).toBe(true);
      expect(JSON.stringify(got.content)).toContain('[not_found]');
      const changed = await globex.callTool({ name: 'update_order', arguments: { id: created.record.id, title: 'globex was here' } });
      expect(JSON.stringify(changed.content)).toContain('[not_found]');
      expect(JSON.stringify(structured(await acme.callTool({ name: 'get_order', arguments: { id: created.record.id } })))).toContain(title);
      // The sample backend serves its tool beside the API's.
      expect(structured(await acme.callTool({ name: 'search_notes', arguments: {} }))).toHaveProperty('records');

      // What reached the API: each tenant's own credential, never an MCP key.
      const reached = api.requests.filter((r) => r.path.startsWith('/v1/'));
      expect(reached.length).toBeGreaterThan(0);
      for (const request of reached) {
        expect(request.tenant === 'acme' || request.tenant === 'globex').toBe(true);
        expect(request.authorization).toBe(`Bearer ${api.credentials[request.tenant!]}`);
        expect(request.authorization).not.toContain(acmeKey);
        expect(request.authorization).not.toContain(globexKey);
      }
      // Only the two write calls sent anything but a GET: acme's POST, and globex's PATCH (answered 404).
      expect(reached.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.tenant}`)).toEqual(['POST acme', 'PATCH globex']);
    } finally {
      await acme.close();
      await globex.close();
    }

    // The API goes away: calls fail cleanly, the breaker opens, readiness says so.
    await api.close();
    const client = await connectHttp(server.url, acmeKey, 'auto');
    try {
      const failures: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const result = await client.callTool({ name: 'search_orders', arguments: { query: 'x' } });
        expect(result.isError).toBe(true);
        failures.push(JSON.stringify(result.content));
      }
      expect(failures.every((text) => /\[unavailable\] The API (cannot be reached right now|is failing, so calls to it are paused)/.test(text))).toBe(true);
      expect(failures.at(-1)).toContain('calls to it are paused');
      const notReady = await fetch(readyz);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ status: 'not_ready', checks: { http: false, sample: true } });

      // It comes back on the same address: after the half-open delay one trial call closes the breaker.
      api = await startSampleApi({ port, credentials: api.credentials });
      await new Promise((resolve) => setTimeout(resolve, 1_700));
      expect((await fetch(readyz)).status).toBe(200);
      const recovered = await client.callTool({ name: 'search_orders', arguments: {} });
      expect(recovered.isError, JSON.stringify(recovered.content)).toBeFalsy();
    } finally {
      await client.close();
    }

    const exitCode = await server.stop();
    const audit = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"toolVersion"'))
      .map((line) => JSON.parse(line) as { tool: string; errorCode: string | null; backendCalls: Array<{ backend: string; operation: string; attempts?: number }> });
    server = undefined;
    expect(exitCode).toBe(0);
    expect(audit.filter((r) => r.tool === 'search_orders').flatMap((r) => r.backendCalls).every((c) => c.backend === 'http' && c.operation === 'GET')).toBe(true);
    // The first failure was retried (HTTP_API_RETRIES=1): two attempts.
    expect(audit.find((r) => r.tool === 'search_orders' && r.errorCode === 'unavailable')?.backendCalls[0]?.attempts).toBe(2);
  }, SLOW);
});
