/**
 * A small REST API that stands in for your internal one: the http backend's tests call it, and
 * `npm run sample-api` serves it for local development (port SAMPLE_API_PORT, default 4010).
 * Each tenant has its own records and its own credential (a bearer token); a request with an
 * unknown token gets 401. It records every request it receives, so tests can check which
 * credential the server sent and count what reached it.
 *
 * It can misbehave on demand, as real APIs do (`fault`, or SAMPLE_API_FAULT for `npm run
 * sample-api`), and can ignore Idempotency-Key as most internal APIs do
 * (`honoursIdempotencyKey = false`), so tests can prove that no write is repeated by accident.
 *
 *   GET   /healthz
 *   GET   /v1/records?q=&kind=&limit=   -> { records, total }
 *   GET   /v1/records/:id               -> record | 404
 *   POST  /v1/records                   -> 201 record (the same record again for a repeated Idempotency-Key, when honoured)
 *   PATCH /v1/records/:id               -> record | 404
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface SeenRequest {
  method: string;
  path: string;
  /** The tenant the credential belongs to; undefined when it matched none. */
  tenant: string | undefined;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  requestId: string | undefined;
}

/**
 * How the API misbehaves, for every request (/healthz included):
 *   slow      does the work, then never answers (until the caller hangs up): a timeout
 *   flapping  answers 503, without doing anything, to every other request (the first included)
 *   reset     does the work, then destroys the connection instead of answering
 *   failing   answers 500 to everything
 */
export const SAMPLE_API_FAULTS = ['slow', 'flapping', 'reset', 'failing'] as const;
export type SampleApiFault = (typeof SAMPLE_API_FAULTS)[number];

export interface SampleApi {
  /** Base URL, e.g. http://127.0.0.1:4010 */
  url: string;
  /** Tenant id -> its bearer token: what HTTP_API_CREDENTIALS must hold. */
  credentials: Record<string, string>;
  /** Every request received, in order, whatever the fault. */
  requests: SeenRequest[];
  /** The current misbehaviour; undefined: a healthy API. Set it at any time. */
  fault: SampleApiFault | undefined;
  /** Whether a repeated Idempotency-Key returns the first answer (default true); false: every POST creates a record. */
  honoursIdempotencyKey: boolean;
  /** Requests received with this method (and under this path, when given). */
  count(method: string, pathPrefix?: string): number;
  /** Issues another credential for a tenant (the old ones stay valid): the first half of a rotation. */
  issueCredential(tenant: string): string;
  /** Revokes a credential: requests carrying it get 401 from now on. */
  revokeCredential(token: string): void;
  close(): Promise<void>;
}

interface StoredRecord {
  id: string;
  kind: 'customer' | 'order' | 'note';
  title: string;
  status: string;
  attributes: Record<string, string | number | boolean | string[]>;
  createdAt: string;
  updatedAt: string;
}

const T0 = '2026-01-05T09:00:00.000Z';
const SEED: Record<string, Array<Omit<StoredRecord, 'createdAt' | 'updatedAt'>>> = {
  acme: [
    { id: 'cus_acme_001', kind: 'customer', title: 'Road Runner Logistics', status: 'active', attributes: { email: 'ops@roadrunner.example', plan: 'enterprise' } },
    { id: 'cus_acme_002', kind: 'customer', title: 'Coyote Engineering', status: 'active', attributes: { email: 'wile@coyote.example', plan: 'pro' } },
    { id: 'ord_acme_1001', kind: 'order', title: 'Order 1001: rocket skates x2', status: 'shipped', attributes: { customerId: 'cus_acme_002', totalCents: 49_800 } },
    { id: 'note_acme_01', kind: 'note', title: 'Coyote Engineering asked for a bulk discount', status: 'open', attributes: { tags: ['pricing'] } },
  ],
  globex: [
    { id: 'cus_globex_001', kind: 'customer', title: 'Springfield Nuclear Plant', status: 'active', attributes: { email: 'safety@snpp.example', plan: 'enterprise' } },
    { id: 'ord_globex_5001', kind: 'order', title: 'Order 5001: hammock fleet', status: 'paid', attributes: { totalCents: 310_000 } },
  ],
  default: [{ id: 'cus_default_001', kind: 'customer', title: 'Example Bakery', status: 'active', attributes: { plan: 'starter' } }],
};

/** Fixed tokens for `npm run sample-api` (development only); tests get random ones. */
export const DEV_CREDENTIALS: Record<string, string> = { acme: 'dev-acme-token', globex: 'dev-globex-token', default: 'dev-default-token' };

export async function startSampleApi(
  options: { port?: number; host?: string; credentials?: Record<string, string>; fault?: SampleApiFault; honoursIdempotencyKey?: boolean } = {},
): Promise<SampleApi> {
  const credentials =
    options.credentials ?? Object.fromEntries(Object.keys(SEED).map((tenant) => [tenant, `sk_${tenant}_${randomBytes(12).toString('hex')}`]));
  const tenantByToken = new Map(Object.entries(credentials).map(([tenant, token]) => [token, tenant]));
  const data = new Map<string, Map<string, StoredRecord>>();
  const idempotent = new Map<string, StoredRecord>();
  const requests: SeenRequest[] = [];
  let nextId = 1;
  let fault = options.fault;
  /** Requests since the fault was set: `flapping` fails the odd ones. */
  let sinceFault = 0;
  const api = {
    get fault() {
      return fault;
    },
    set fault(value: SampleApiFault | undefined) {
      fault = value;
      sinceFault = 0;
    },
    honoursIdempotencyKey: options.honoursIdempotencyKey ?? true,
  };

  const recordsOf = (tenant: string) => {
    let records = data.get(tenant);
    if (!records) {
      records = new Map((SEED[tenant] ?? []).map((r) => [r.id, { ...structuredClone(r), createdAt: T0, updatedAt: T0 }]));
      data.set(tenant, records);
    }
    return records;
  };

  const server = createServer((req, res) => {
    const current = fault;
    sinceFault += 1;
    if (current === 'failing' || (current === 'flapping' && sinceFault % 2 === 1)) {
      noteRequest(req);
      req.resume();
      return send(res, current === 'failing' ? 500 : 503, { error: 'the API is having a bad day' });
    }
    // slow and reset do the work, then lose the answer: the caller cannot know it was done.
    const answer: Answer = current === 'slow' ? () => {} : current === 'reset' ? () => req.socket.destroy() : send;
    handle(req, res, answer).catch(() => answer(res, 500, { error: 'internal error' }));
  });

  function noteRequest(req: IncomingMessage) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const authorization = req.headers.authorization;
    const token = authorization?.replace(/^Bearer\s+/i, '');
    const tenant = token ? tenantByToken.get(token) : undefined;
    const idempotencyKey = header(req, 'idempotency-key');
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, tenant, authorization, idempotencyKey, requestId: header(req, 'x-request-id') });
    return { url, tenant, idempotencyKey };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, send: Answer): Promise<void> {
    const { url, tenant, idempotencyKey } = noteRequest(req);

    if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
    if (!tenant) return send(res, 401, { error: 'unknown or missing credential' });
    const records = recordsOf(tenant);
    const match = /^\/v1\/records(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return send(res, 404, { error: 'no such endpoint' });
    const id = match[1] && decodeURIComponent(match[1]);

    if (req.method === 'GET' && !id) {
      const words = (url.searchParams.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const kind = url.searchParams.get('kind');
      const limit = Math.min(Math.max(1, Number(url.searchParams.get('limit') ?? 25) || 25), 100);
      const hits = [...records.values()].filter(
        (r) => (!kind || r.kind === kind) && words.every((w) => JSON.stringify([r.id, r.title, r.status, r.attributes]).toLowerCase().includes(w)),
      );
      return send(res, 200, { records: hits.slice(0, limit), total: hits.length });
    }
    if (req.method === 'GET' && id) {
      const record = records.get(id);
      return record ? send(res, 200, record) : send(res, 404, { error: 'not found' });
    }
    if (req.method === 'POST' && !id) {
      const key = api.honoursIdempotencyKey && idempotencyKey ? `${tenant}:${idempotencyKey}` : undefined;
      const seen = key ? idempotent.get(key) : undefined;
      if (seen) return send(res, 200, seen);
      const body = (await readJson(req)) as Partial<StoredRecord> | undefined;
      if (!body || typeof body.title !== 'string' || body.title.trim() === '') return send(res, 422, { error: 'title is required' });
      const now = new Date().toISOString();
      const record: StoredRecord = {
        id: `rec_${String(nextId++).padStart(5, '0')}`,
        kind: body.kind ?? 'note',
        title: body.title,
        status: body.status ?? 'open',
        attributes: body.attributes ?? {},
        createdAt: now,
        updatedAt: now,
      };
      records.set(record.id, record);
      if (key) idempotent.set(key, record);
      return send(res, 201, record);
    }
    if (req.method === 'PATCH' && id) {
      const record = records.get(id);
      if (!record) return send(res, 404, { error: 'not found' });
      const body = ((await readJson(req)) ?? {}) as Partial<StoredRecord>;
      if (typeof body.title === 'string' && body.title.trim() !== '') record.title = body.title;
      if (typeof body.status === 'string') record.status = body.status;
      if (body.attributes) record.attributes = { ...record.attributes, ...body.attributes };
      record.updatedAt = new Date().toISOString();
      return send(res, 200, record);
    }
    return send(res, 405, { error: 'method not allowed' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    url: `http://127.0.0.1:${port}`,
    credentials,
    requests,
    count: (method: string, pathPrefix = '') => requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).length,
    issueCredential(tenant: string) {
      const token = `sk_${tenant}_${randomBytes(12).toString('hex')}`;
      tenantByToken.set(token, tenant);
      return token;
    },
    revokeCredential(token: string) {
      tenantByToken.delete(token);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Answer = (res: ServerResponse, status: number, body: unknown) => void;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

// `npm run sample-api`: serve it for local development.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.SAMPLE_API_PORT ?? 4010);
  const fault = process.env.SAMPLE_API_FAULT || undefined;
  if (fault !== undefined && !(SAMPLE_API_FAULTS as readonly string[]).includes(fault)) {
    process.stderr.write(`SAMPLE_API_FAULT=${JSON.stringify(fault)}: expected one of ${SAMPLE_API_FAULTS.join(', ')}\n`);
    process.exit(2);
  }
  const api = await startSampleApi({ port, credentials: DEV_CREDENTIALS, fault: fault as SampleApiFault | undefined });
  process.stdout.write(
    `Sample API on ${api.url}${fault ? ` (fault: ${fault})` : ''}\n` +
      `Start the server with:\n` +
      `  HTTP_API_BASE_URL=${api.url} HTTP_API_CREDENTIALS='${JSON.stringify(DEV_CREDENTIALS)}' npm start\n`,
  );
  process.once('SIGINT', () => void api.close().then(() => process.exit(0)));
  process.once('SIGTERM', () => void api.close().then(() => process.exit(0)));
}
