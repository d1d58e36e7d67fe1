/**
 * `--backend http --backend sample`: a generated server over an internal REST API (and the
 * sample backend for one tool), installed, built and tested; its own tests prove retries,
 * timeouts, one attempt per write and the circuit breaker opening and closing against
 * misbehaving upstreams on 127.0.0.1. Then `npm start` serves real SDK Clients against the
 * repo's sample API started by this test, which records what reaches it: each tenant's own
 * credential, never the MCP key; exactly one POST per write when the API ignores Idempotency-Key
 * and is slow, flapping or resetting, with `outcome_unknown` when the write may have been applied;
 * the API going away opens the breaker, readiness stays 503 for as long as it is down, and
 * answers 200 again once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, createKey, expectAllPassed, freePort, generate, npmRun, runCiCommands, type RunningServer, SERVED, SLOW, startHttp, structured } from './generated-repo.js';

interface SampleApi {
  url: string;
  credentials: Record<string, string>;
  requests: Array<{ method: string; path: string; tenant: string | undefined; authorization: string | undefined }>;
  fault: 'slow' | 'flapping' | 'reset' | 'failing' | undefined;
  honoursIdempotencyKey: boolean;
  count(method: string, pathPrefix?: string): number;
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
}, SERVED);

describe('http backend', () => {
  it('builds and passes its own tests: retries, timeouts, the breaker, tenants', async () => {
    const out = (await runCiCommands(dir))['npm test'];
    expectAllPassed(out);
    const verbose = await npmRun(dir, 'test', ['--reporter=verbose', 'test/http-backend.test.ts', 'test/http-writes.test.ts', 'test/tenancy-http.test.ts']);
    for (const name of [
      'retries a GET through a flapping upstream, with backoff, and reports the attempts',
      'retries a GET answered HTTP 500, like 502, 503 and 504',
      'makes exactly one attempt per write, with or without an Idempotency-Key',
      'says the outcome of a write is unknown after a timeout or a lost connection, and never retries it',
      'is not ready for as long as the API is down, whatever the half-open delay; ready once it answers',
      'sends one POST per confirmed write to a slow API, and says the outcome is unknown',
      'sends one POST per confirmed write to an API answering 503 every other call',
      'sends one POST per confirmed write to an API that resets the connection, and says the outcome is unknown',
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
      HTTP_API_TIMEOUT_MS: '3000',
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

      // An API that ignores Idempotency-Key and misbehaves: each write reaches it exactly once.
      api.honoursIdempotencyKey = false;
      const write = async (fault: SampleApi['fault'], title: string) => {
        if (api!.fault !== fault) api!.fault = fault; // setting it restarts its pattern
        const before = api!.count('POST', '/v1/records');
        const result = await acme.callTool({ name: 'create_order', arguments: { title } });
        expect(api!.count('POST', '/v1/records') - before, `${fault}: POSTs for one call`).toBe(1);
        return result.isError ? JSON.stringify(result.content) : 'ok';
      };
      expect(await write('flapping', 'flap 1')).toContain('[unavailable] The API failed to answer (HTTP 503)');
      expect(await write('flapping', 'flap 2')).toBe('ok');
      expect(await write('slow', 'slow 1')).toContain('[outcome_unknown] The API did not answer in time, so it is not known whether the change was made.');
      expect(await write('reset', 'reset 1')).toContain('[outcome_unknown] The connection to the API was lost after the request was sent');
      api.fault = undefined;
      api.honoursIdempotencyKey = true;
      // Both lost answers were applied: the model was right not to be told "failed".
      const applied = structured(await acme.callTool({ name: 'search_orders', arguments: {} })) as { records: Array<{ title: string }> };
      expect(applied.records.map((r) => r.title)).toEqual(expect.arrayContaining(['slow 1', 'reset 1']));
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

      // Past the half-open delay, with no traffic: the API is still down, so still not ready.
      await new Promise((resolve) => setTimeout(resolve, 1_700));
      const stillDown = await fetch(readyz);
      expect(stillDown.status).toBe(503);
      expect(await stillDown.json()).toMatchObject({ checks: { http: false } });

      // It comes back on the same address: readiness finds it, and the next call closes the breaker.
      api = await startSampleApi({ port, credentials: api.credentials });
      const giveUp = Date.now() + 120_000;
      while ((await fetch(readyz)).status !== 200) {
        if (Date.now() > giveUp) throw new Error('/readyz still not 200 120 s after the API came back');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(api.requests.length).toBeGreaterThan(0); // the probes reached it
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
    // The writes: one attempt each; the two lost answers recorded as outcome unknown.
    const writes = audit.filter((r) => r.tool === 'create_order' && r.backendCalls.length > 0);
    expect(writes.flatMap((r) => r.backendCalls).every((c) => c.operation === 'POST' && c.attempts === 1)).toBe(true);
    expect(writes.map((r) => r.errorCode)).toEqual([null, 'unavailable', null, 'outcome_unknown', 'outcome_unknown']);
  }, SLOW);
});
