/**
 * The http backend against real HTTP servers on 127.0.0.1 that misbehave on purpose: slow,
 * flapping, failing, resetting, down, too big. Proves per-tenant credentials, retries of reads
 * with backoff, exactly one attempt per write, `outcome_unknown` when a write may have been
 * applied, per-attempt timeouts, the circuit breaker opening and closing, readiness that asks the
 * API while the breaker is open, the response size cap and clean errors.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import type { BackendCall, BackendScope } from '../src/backends/backend-scope.js';
import { HttpApiStore, type HttpApiSettings } from '../src/backends/http/http-backend.js';
import { requestFor, type Operation } from '../src/backends/http/operation.js';
import { searchRecords } from '../src/backends/http/records.js';
import { summarizeList, truncateStrings } from '../src/pipeline/summarize.js';
import { createLogger } from '../src/observability/logger.js';
import { ToolError } from '../src/tool-model/define-tool.js';

interface Upstream {
  url: string;
  /** Requests received so far. */
  hits: number;
  seen: IncomingMessage['headers'][];
  /** Method and path of each request received. */
  requests: string[];
  /** Stops listening: connections are refused until `start`, on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** An upstream whose every answer `reply` decides (it gets the request number, from 1). */
async function startUpstream(reply: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<Upstream> {
  const upstream = { hits: 0, seen: [] as IncomingMessage['headers'][], requests: [] as string[] } as Upstream;
  const server = createServer((req, res) => {
    upstream.hits += 1;
    upstream.seen.push(req.headers);
    upstream.requests.push(`${req.method} ${req.url}`);
    req.resume();
    reply(upstream.hits, req, res);
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  await listen(0);
  const { port } = server.address() as AddressInfo;
  upstream.url = `http://127.0.0.1:${port}/api`;
  let listening = true;
  upstream.stop = () =>
    new Promise<void>((resolve) => {
      listening = false;
      server.close(() => resolve());
      server.closeAllConnections();
    });
  upstream.start = async () => {
    await listen(port);
    listening = true;
  };
  upstream.close = async () => {
    if (listening) await upstream.stop();
  };
  cleanup.push(upstream.close);
  return upstream;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function storeFor(upstream: Upstream, overrides: Partial<HttpApiSettings> = {}): HttpApiStore {
  const store = new HttpApiStore(
    {
      baseUrl: new URL(`${upstream.url}/`),
      timeoutMs: 1_000,
      retries: 2,
      retryBaseMs: 10,
      retryStatuses: [429, 500, 502, 503, 504],
      honoursIdempotencyKey: false,
      breakerThreshold: 5,
      breakerHalfOpenMs: 10_000,
      maxResponseBytes: 1_048_576,
      healthPath: undefined,
      authHeader: 'authorization',
      credentials: new Map([
        ['acme', 'secret-acme'],
        ['globex', 'secret-globex'],
      ]),
      ...overrides,
    },
    createLogger('silent', 'test'),
  );
  cleanup.push(() => store.close());
  return store;
}

function scoped(access: 'read' | 'write' = 'read'): BackendScope & { calls: BackendCall[] } {
  const calls: BackendCall[] = [];
  return { access, requestId: 'req-123', onCall: (call) => calls.push(call), calls };
}

/** 503 to every other request, the first included: what a flapping API answers. */
const flapping = (n: number, _req: IncomingMessage, res: ServerResponse) => (n % 2 === 1 ? json(res, 503, {}) : json(res, 200, { ok: true }));

/** Polls `check` until it holds; the bound only catches a hang. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const giveUp = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > giveUp) throw new Error('still not true after 120 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('http backend', () => {
  it("sends each tenant's own credential and the request id, under the base URL", async () => {
    const upstream = await startUpstream((_n, req, res) => json(res, 200, { path: req.url }));
    const store = storeFor(upstream);
    const acme = await store.forTenant('acme', scoped()).get('/v1/things', { q: 'a b', limit: 5, skip: undefined });
    await store.forTenant('globex', scoped()).get('v1/things');
    expect(acme).toEqual({ status: 200, body: { path: '/api/v1/things?q=a+b&limit=5' }, attempts: 1 });
    expect(upstream.seen.map((h) => h.authorization)).toEqual(['Bearer secret-acme', 'Bearer secret-globex']);
    expect(upstream.seen[0]?.['x-request-id']).toBe('req-123');
  });

  it('sends a query list as one pair per item where the operation explodes it, else comma-joined', async () => {
    const upstream = await startUpstream((_n, req, res) => json(res, 200, { path: req.url }));
    const operation: Operation = {
      method: 'GET',
      path: '/pets',
      params: { status: { in: 'query', name: 'status', explode: true }, tags: { in: 'query', name: 'tags' } },
      fixed: [],
    };
    const request = requestFor(operation, { status: ['available', 'sold'], tags: ['a', 'b'] });
    expect(request.query).toEqual({ status: ['available', 'sold'], tags: 'a,b' });
    const answer = await storeFor(upstream).forTenant('acme', scoped()).get(request.path, request.query);
    expect(answer.body).toEqual({ path: '/api/pets?status=available&status=sold&tags=a%2Cb' });
  });

  it('refuses a tenant without a credential, without calling the API', async () => {
    const upstream = await startUpstream((_n, _req, res) => json(res, 200, {}));
    const attempt = storeFor(upstream).forTenant('initech', scoped()).get('/v1/things');
    await expect(attempt).rejects.toMatchObject({ code: 'not_configured' });
    expect(upstream.hits).toBe(0);
  });

  it('never lets a path leave the base URL', async () => {
    const upstream = await startUpstream((_n, _req, res) => json(res, 200, {}));
    const store = storeFor(upstream);
    await expect(store.forTenant('acme', scoped()).get('/../../admin')).rejects.toThrow();
    await expect(store.forTenant('acme', scoped()).get('//evil.example/steal')).resolves.toMatchObject({ status: 200 });
    expect(upstream.hits).toBe(1); // the second stayed on 127.0.0.1, under /api/
  });

  it('retries a GET through a flapping upstream, with backoff, and reports the attempts', async () => {
    const upstream = await startUpstream((n, _req, res) => (n <= 2 ? json(res, 503, { error: 'busy' }) : json(res, 200, { ok: true })));
    const scope = scoped();
    const started = Date.now();
    const response = await storeFor(upstream, { retryBaseMs: 50 }).forTenant('acme', scope).get('/v1/things');
    expect(response).toEqual({ status: 200, body: { ok: true }, attempts: 3 });
    expect(upstream.hits).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40); // it waited between attempts
    expect(scope.calls).toMatchObject([{ backend: 'http', operation: 'GET', outcome: 'ok', attempts: 3 }]);
  });

  it('gives up after HTTP_API_RETRIES retries with a clean message', async () => {
    const upstream = await startUpstream((_n, _req, res) => json(res, 502, { error: 'stack trace: at db.js:12' }));
    const scope = scoped();
    const attempt = storeFor(upstream, { retries: 2 }).forTenant('acme', scope).get('/v1/things');
    await expect(attempt).rejects.toMatchObject({ code: 'unavailable', message: 'The API failed to answer (HTTP 502). Retry shortly.' });
    expect(upstream.hits).toBe(3);
    expect(scope.calls).toMatchObject([{ outcome: 'error', errorCode: 'unavailable', attempts: 3 }]);
  });

  it('retries a GET answered HTTP 500, like 502, 503 and 504', async () => {
    const upstream = await startUpstream((n, _req, res) => (n === 1 ? json(res, 500, { error: 'oops' }) : json(res, 200, { ok: true })));
    const scope = scoped();
    const response = await storeFor(upstream).forTenant('acme', scope).get('/v1/things');
    expect(response).toEqual({ status: 200, body: { ok: true }, attempts: 2 });
    expect(upstream.hits).toBe(2);
    expect(scope.calls).toMatchObject([{ operation: 'GET', outcome: 'ok', attempts: 2 }]);
  });

  it('retries only the statuses in HTTP_API_RETRY_STATUSES', async () => {
    const upstream = await startUpstream((n, _req, res) => (n === 1 ? json(res, 503, {}) : n === 2 ? json(res, 500, {}) : json(res, 200, { ok: true })));
    const acme = storeFor(upstream, { retryStatuses: [500] }).forTenant('acme', scoped());
    await expect(acme.get('/v1/things')).rejects.toMatchObject({ code: 'unavailable', message: 'The API failed to answer (HTTP 503). Retry shortly.' });
    expect(upstream.hits).toBe(1);
    await expect(acme.get('/v1/things')).resolves.toMatchObject({ status: 200, attempts: 2 }); // 500, then 200
    expect(upstream.hits).toBe(3);
  });

  it('makes exactly one attempt per write, with or without an Idempotency-Key', async () => {
    const upstream = await startUpstream(flapping);
    const store = storeFor(upstream);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const scope = scoped('write');
      const before = upstream.hits;
      await expect(store.forTenant('acme', scope).send(method, '/v1/things', { body: { a: 1 }, idempotencyKey: `k-${method}` })).rejects.toMatchObject({
        code: 'unavailable', // the API answered 503: it said it did nothing
      });
      expect(upstream.hits - before, method).toBe(1);
      expect(scope.calls).toMatchObject([{ operation: method, outcome: 'error', errorCode: 'unavailable', attempts: 1 }]);
      await expect(store.forTenant('acme', scoped('write')).send(method, '/v1/things')).resolves.toMatchObject({ status: 200, attempts: 1 });
    }
    expect(upstream.hits).toBe(8);
  });

  it('retries a write declared idempotent, or keyed when HTTP_API_HONOURS_IDEMPOTENCY_KEY=true', async () => {
    const upstream = await startUpstream(flapping);
    const declared = storeFor(upstream).forTenant('acme', scoped('write'));
    await expect(declared.send('PUT', '/v1/things/1', { body: { a: 1 }, idempotent: true })).resolves.toMatchObject({ status: 200, attempts: 2 });
    await expect(declared.send('POST', '/v1/things', { body: { a: 1 }, idempotent: true })).resolves.toMatchObject({ status: 200, attempts: 2 });
    const honouring = storeFor(upstream, { honoursIdempotencyKey: true }).forTenant('acme', scoped('write'));
    await expect(honouring.send('POST', '/v1/things', { body: { a: 1 }, idempotencyKey: 'k-1' })).resolves.toMatchObject({ status: 200, attempts: 2 });
    expect(upstream.seen.slice(4).map((h) => h['idempotency-key'])).toEqual(['k-1', 'k-1']);
    // Without a key, the setting does not apply: one attempt.
    await expect(honouring.send('POST', '/v1/things', { body: { a: 1 } })).rejects.toMatchObject({ code: 'unavailable' });
    expect(upstream.hits).toBe(7);
  });

  it('says the outcome of a write is unknown after a timeout or a lost connection, and never retries it', async () => {
    let behaviour: 'slow' | 'reset' = 'slow';
    const upstream = await startUpstream((_n, req, res) => {
      if (behaviour === 'reset') return void req.socket.destroy();
      const timer = setTimeout(() => json(res, 201, { late: true }), 60_000);
      res.on('close', () => clearTimeout(timer));
    });
    // A short timeout only where the timeout is the signal: a reset must end the other calls,
    // however long a busy machine takes to connect.
    const hasty = storeFor(upstream, { timeoutMs: 200, retries: 3, breakerThreshold: 100 });
    const store = storeFor(upstream, { timeoutMs: 60_000, retries: 3, breakerThreshold: 100 });
    for (const each of ['slow', 'reset'] as const) {
      behaviour = each;
      const scope = scoped('write');
      const before = upstream.hits;
      const attempt = (each === 'slow' ? hasty : store).forTenant('acme', scope).send('POST', '/v1/refunds', { body: { invoice: 'inv_1' }, idempotencyKey: `k-${each}` });
      await expect(attempt, each).rejects.toMatchObject({
        code: 'outcome_unknown',
        message: expect.stringMatching(
          /^The (API did not answer in time|connection to the API was lost after the request was sent), so it is not known whether the change was made\. Check its current state before calling this tool again/,
        ),
      });
      expect(upstream.hits - before, each).toBe(1);
      expect(scope.calls, each).toMatchObject([{ operation: 'POST', outcome: 'error', errorCode: 'outcome_unknown', attempts: 1 }]);
    }
    // A read in the same conditions is retried and fails plainly: nothing could have changed.
    await expect(store.forTenant('acme', scoped()).get('/v1/refunds')).rejects.toMatchObject({ code: 'unavailable' });
    expect(upstream.requests.filter((r) => r.startsWith('GET'))).toHaveLength(4);
    // Refused connections: the request never left, so the write plainly failed.
    await upstream.stop();
    await expect(store.forTenant('acme', scoped('write')).send('POST', '/v1/refunds', { idempotencyKey: 'k-down' })).rejects.toMatchObject({
      code: 'unavailable',
      message: 'The API cannot be reached right now. Retry shortly.',
    });
  });

  it('times out each attempt of a slow upstream', async () => {
    // It would answer only after the test's own limit: a result can only come from the timeout.
    const upstream = await startUpstream((_n, _req, res) => {
      const timer = setTimeout(() => json(res, 200, { late: true }), 600_000);
      res.on('close', () => clearTimeout(timer));
    });
    const attempt = storeFor(upstream, { timeoutMs: 150, retries: 1 }).forTenant('acme', scoped()).get('/v1/slow');
    await expect(attempt).rejects.toMatchObject({ code: 'timeout', message: 'The API did not answer in time. Retry later.' });
    expect(upstream.hits).toBe(2);
  });

  it('opens the breaker after consecutive failures, fails fast while open, and closes when the API recovers', async () => {
    let healthy = false;
    const upstream = await startUpstream((_n, _req, res) => (healthy ? json(res, 200, { ok: true }) : json(res, 500, { error: 'down' })));
    const store = storeFor(upstream, { retries: 0, breakerThreshold: 3, breakerHalfOpenMs: 1_000 });
    const acme = store.forTenant('acme', scoped());

    const calls = () => upstream.requests.filter((r) => r === 'GET /api/v1/things').length;
    for (let i = 0; i < 3; i += 1) await expect(acme.get('/v1/things')).rejects.toMatchObject({ code: 'unavailable' });
    expect(upstream.hits).toBe(3);
    expect(store.circuit).toBe('open');
    expect(await store.isReady()).toBe(false);

    // Open: no call reaches the API, for every tenant (they fail at once, not after a timeout).
    await expect(store.forTenant('globex', scoped()).get('/v1/things')).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/^The API is failing, so calls to it are paused\. Retry in about \d+ seconds\.$/),
    });
    expect(calls()).toBe(3);

    // Half-open after a second: one trial call; the API still fails, so it opens again.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await store.isReady()).toBe(false); // the readiness probe found it still failing
    expect(upstream.requests.at(-1)).toBe('HEAD /api/');
    await expect(acme.get('/v1/things')).rejects.toMatchObject({ code: 'unavailable' });
    expect(calls()).toBe(4);
    expect(store.circuit).toBe('open');

    // The API recovers: after the half-open delay, the next trial call succeeds and closes the breaker.
    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(acme.get('/v1/things')).resolves.toMatchObject({ status: 200 });
    expect(store.circuit).toBe('closed');
    expect(await store.isReady()).toBe(true);
    await expect(store.forTenant('globex', scoped()).get('/v1/things')).resolves.toMatchObject({ status: 200 });
  });

  it('does not count 4xx answers against the API, nor retry them', async () => {
    const upstream = await startUpstream((_n, _req, res) => json(res, 404, { error: 'not found' }));
    const store = storeFor(upstream, { breakerThreshold: 2 });
    for (let i = 0; i < 3; i += 1) expect((await store.forTenant('acme', scoped()).get('/v1/missing')).status).toBe(404);
    expect(upstream.hits).toBe(3);
    expect(store.circuit).toBe('closed');
  });

  it('passes on a 429 with its Retry-After once retries are spent', async () => {
    const upstream = await startUpstream((_n, _req, res) => json(res, 429, {}, { 'retry-after': '7' }));
    const attempt = storeFor(upstream, { retries: 1 }).forTenant('acme', scoped()).get('/v1/things');
    await expect(attempt).rejects.toMatchObject({ code: 'upstream_rate_limited', message: 'The API is limiting calls from your organisation. Retry in 7 seconds.' });
    expect(upstream.hits).toBe(2);
  });

  it('refuses answers over HTTP_API_MAX_RESPONSE_BYTES, declared or streamed', async () => {
    const big = 'x'.repeat(200_000);
    const upstream = await startUpstream((n, _req, res) => {
      if (n === 1) return json(res, 200, { big });
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length
      res.write('{"big":"');
      res.write(big);
      res.end('"}');
    });
    const store = storeFor(upstream, { maxResponseBytes: 64 * 1024 });
    for (let i = 0; i < 2; i += 1) {
      await expect(store.forTenant('acme', scoped()).get('/v1/big')).rejects.toMatchObject({ code: 'response_too_large' });
    }
  });

  it('gives read tools no way to change data', async () => {
    const upstream = await startUpstream((_n, _req, res) => json(res, 200, {}));
    const scope = scoped('read');
    const attempt = storeFor(upstream).forTenant('acme', scope).send('DELETE', '/v1/things/1');
    await expect(attempt).rejects.toBeInstanceOf(ToolError);
    await expect(attempt).rejects.toMatchObject({ code: 'read_only' });
    expect(upstream.hits).toBe(0);
    expect(scope.calls).toMatchObject([{ operation: 'DELETE', outcome: 'error', errorCode: 'read_only' }]);
  });

  it('is ready when HTTP_API_HEALTH_PATH answers 2xx', async () => {
    let up = true;
    const upstream = await startUpstream((_n, req, res) => json(res, up && req.url === '/api/healthz' ? 200 : 503, {}));
    const store = storeFor(upstream, { healthPath: '/healthz' });
    expect(await store.isReady()).toBe(true);
    up = false;
    expect(await store.isReady()).toBe(false);
    expect(upstream.seen.every((h) => h.authorization === undefined)).toBe(true); // no tenant credential on probes
  });

  it('is not ready for as long as the API is down, whatever the half-open delay; ready once it answers', async () => {
    const upstream = await startUpstream((_n, _req, res) => json(res, 200, { ok: true }));
    const store = storeFor(upstream, { retries: 0, breakerThreshold: 2, breakerHalfOpenMs: 300 });
    const acme = store.forTenant('acme', scoped());
    expect(await store.isReady()).toBe(true);
    await upstream.stop(); // connections refused
    for (let i = 0; i < 2; i += 1) await expect(acme.get('/v1/things')).rejects.toMatchObject({ code: 'unavailable' });
    expect(store.circuit).toBe('open');
    expect(await store.isReady()).toBe(false);
    // Well past the half-open delay, with no traffic: still down, still not ready.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(await store.isReady()).toBe(false);
    expect(await store.isReady()).toBe(false);

    await upstream.start();
    await eventually(() => store.isReady());
    expect(upstream.requests.every((r) => r === 'HEAD /api/')).toBe(true); // only probes reached it
    await expect(acme.get('/v1/things')).resolves.toMatchObject({ status: 200 });
    expect(store.circuit).toBe('closed');
  });

  it('lets the next call through as soon as a readiness probe finds the API answering again', async () => {
    let healthy = false;
    const upstream = await startUpstream((_n, _req, res) => (healthy ? json(res, 200, { ok: true }) : json(res, 502, { error: 'bad gateway' })));
    // Paused for a minute: only the probe can tell that the API is back.
    const store = storeFor(upstream, { retries: 0, breakerThreshold: 2, breakerHalfOpenMs: 60_000, healthPath: '/healthz' });
    const acme = store.forTenant('acme', scoped());
    for (let i = 0; i < 2; i += 1) await expect(acme.get('/v1/things')).rejects.toMatchObject({ code: 'unavailable' });
    expect(await store.isReady()).toBe(false);
    await expect(acme.get('/v1/things')).rejects.toMatchObject({ message: expect.stringMatching(/paused/) });
    healthy = true;
    expect(await store.isReady()).toBe(true);
    expect(upstream.requests.filter((r) => r === 'GET /api/healthz')).toHaveLength(2);
    await expect(acme.get('/v1/things')).resolves.toMatchObject({ status: 200 });
    expect(store.circuit).toBe('closed');
  });

  it('summarizes long answers for the model', async () => {
    const records = Array.from({ length: 80 }, (_, i) => ({
      id: `rec_${i}`,
      kind: 'note',
      title: `Note ${i} ${'long text '.repeat(100)}`,
      status: 'open',
      attributes: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }));
    const upstream = await startUpstream((_n, _req, res) => json(res, 200, { records, total: 80 }));
    const found = await searchRecords(storeFor(upstream).forTenant('acme', scoped()));
    expect(found.total).toBe(80);
    expect(found.records).toHaveLength(50);
    expect(found.omitted).toBe(30);
    expect(found.records[0]?.title).toMatch(/… \[\d+ more characters\]$/);
    expect(found.records[0]!.title.length).toBeLessThan(600);
    expect(summarizeList([1, 2, 3], { maxItems: 2, maxStringLength: 10 })).toEqual({ items: [1, 2], omitted: 1 });
    expect(truncateStrings({ a: ['abcdef'], n: 1 }, 3)).toEqual({ a: ['abc… [3 more characters]'], n: 1 });
  });

  it('rejects an answer of the wrong shape with a clean message', async () => {
    const upstream = await startUpstream((_n, _req, res) => json(res, 200, { rows: 'not what we expect' }));
    await expect(searchRecords(storeFor(upstream).forTenant('acme', scoped()))).rejects.toMatchObject({ code: 'bad_upstream_response' });
  });
});
