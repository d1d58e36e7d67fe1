/**
 * Every replica serves every request: a generated http + api-key + postgres server with a tool
 * behind a human approver runs as THREE processes behind a round-robin proxy (written here, on
 * 127.0.0.1), first sharing one Redis (the one at E2E_REDIS_URL, under a key prefix of its own),
 * then sharing only PostgreSQL (a database of its own, created and dropped here). Through the SDK
 * Client over the proxy, each step lands on another replica than the step before: a call is
 * parked, listed and granted by another principal, completed, and written to PostgreSQL exactly
 * once; 20 concurrent replays all get `approval_used`; the concurrency cap holds across the
 * replicas, and the slots of a replica killed with calls in flight are free again within the
 * lease. With Redis: limits admit exactly L of N across the replicas, and a Redis of its own
 * (redis-server on a free port, no persistence) restarted under load leaves limits following the
 * fail policy and recovering without a server restart, and a parked approval cleanly not found.
 * Without Redis: PostgreSQL unreachable gives approval calls a clean `unavailable`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { tempDir } from '../support/temp-dir.js';
import { connectHttp, E2E_REDIS_URL, freePort, generateFromSpec, npmRun, npmStartArgs, SLOW } from './generated-repo.js';

const PG = { host: '127.0.0.1', port: '5432', user: 'postgres' };
/** list_records' own per-minute limit, shared by the replicas through Redis. */
const LIMIT = 12;
/** Bounds that only catch a hang. */
const HANG = 120_000;
const QUERY = { name: 'query', type: 'string', required: false };
const spec = {
  name: 'ledger-mcp',
  transport: 'http',
  auth: 'api-key',
  backends: [{ kind: 'postgres' }],
  tools: [
    { name: 'search_records', access: 'read', backend: 'postgres', params: [QUERY] },
    { name: 'list_records', access: 'read', backend: 'postgres', rateLimit: { perMinute: LIMIT }, params: [QUERY] },
    { name: 'create_record', access: 'write', approval: 'human', backend: 'postgres', params: [{ name: 'name', type: 'string', required: true }] },
  ],
};

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let keysFile: string;
let alice: string;
let bob: string;
/** Of another tenant, for the limits: acme's budgets are spent by the other cases. */
let carol: string;
const databases: string[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

async function psql(sql: string, db = 'postgres'): Promise<string> {
  const result = await execa('psql', ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-tAc', sql]);
  return result.stdout.trim();
}

/** A migrated database of this test's own. */
async function newDatabase(): Promise<{ name: string; url: string }> {
  const name = `cms_scale_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await psql(`CREATE DATABASE "${name}"`);
  databases.push(name);
  const url = `postgres://${PG.user}@${PG.host}:${PG.port}/${name}`;
  await npmRun(dir, 'db:migrate', [], { DATABASE_URL: url });
  return { name, url };
}

async function createKey(subject: string, scopes: string, tenant = 'acme'): Promise<string> {
  const result = await execa('npm', ['run', '--silent', 'keys', '--', 'create', '--file', keysFile, '--tenant', tenant, '--subject', subject, '--scopes', scopes], { cwd: dir });
  return result.stdout.trim();
}

/**
 * Locks the records table from a session of its own, so tool calls that read it hang in their
 * handlers (holding their concurrency slots) until released.
 */
async function lockRecords(database: string): Promise<() => Promise<void>> {
  const name = `cms-lock-${randomUUID().slice(0, 8)}`;
  const session = execa('psql', ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-d', database], {
    input: 'BEGIN; LOCK TABLE records IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600);',
    env: { PGAPPNAME: name },
    reject: false,
  });
  await until(
    async () =>
      (await psql(`SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = '${name}' AND l.mode = 'AccessExclusiveLock' AND l.granted`, database)) === '1',
    'records locked',
  );
  return async () => {
    await psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${name}'`);
    await session;
  };
}

interface Replica {
  base: string;
  child: ChildProcess;
  output: () => string;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

/** What `npm start` runs, on a free port; resolves once /readyz answers 200. */
async function startReplica(env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, await npmStartArgs(dir), {
    cwd: dir,
    env: { PATH: process.env['PATH'], MCP_TRANSPORT: 'http', HOST: '127.0.0.1', PORT: String(port), MCP_API_KEYS_FILE: keysFile, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  const replica: Replica = {
    base,
    child,
    output: () => output,
    kill: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
  cleanups.push(() => replica.kill('SIGKILL'));
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`replica exited early:\n${output}`);
    return fetch(`${base}/readyz`).then((response) => response.ok, () => false);
  }, `replica on ${base} ready`);
  return replica;
}

interface Proxy {
  url: string;
  /** Which replica answered each request: its index, the JSON-RPC method and tool, or the admin path. */
  served: Array<{ replica: number; what: string }>;
  /** Stops sending requests to a replica (it was killed). */
  drop(index: number): void;
}

/** A round-robin HTTP proxy on 127.0.0.1: request i goes to the next live replica after request i-1's. */
async function startProxy(replicas: Replica[]): Promise<Proxy> {
  const served: Proxy['served'] = [];
  const dropped = new Set<number>();
  let next = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let index = next % replicas.length;
      while (dropped.has(index)) index = (index + 1) % replicas.length;
      next = index + 1;
      const body = Buffer.concat(chunks);
      let what = `${req.method} ${req.url}`;
      try {
        const rpc = JSON.parse(body.toString()) as { method?: string; params?: { name?: string } };
        what = rpc.params?.name ? `${rpc.method} ${rpc.params.name}` : (rpc.method ?? what);
      } catch {
        // not JSON: the path says what it was
      }
      served.push({ replica: index, what });
      const target = new URL(req.url ?? '/', replicas[index]!.base);
      const forward = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (error: NodeJS.ErrnoException) => {
        // Said in the body, so a client's "Error POSTing to endpoint" names what went wrong.
        if (res.headersSent) return void res.end();
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${what} to replica ${index}: ${error.code ?? error.message}`);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  server.on('connection', (socket) => cleanups.push(async () => socket.destroy()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served, drop: (index) => dropped.add(index) };
}

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text?: string } | undefined)?.text ?? '';

async function admin(proxy: Proxy, key: string, path = '', method = 'GET'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${proxy.url}/admin/approvals${path}`, { method, headers: { Authorization: `Bearer ${key}` } });
  return { status: response.status, body: await response.json() };
}

/** The replica that answered the last request matching `what`. */
const lastServed = (proxy: Proxy, what: string) => proxy.served.filter((entry) => entry.what.startsWith(what)).at(-1)!.replica;

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + HANG;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${HANG / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  root = await tempDir('cms-e2e-scale-');
  dir = join(root.path, 'ledger-mcp');
  await generateFromSpec(dir, spec);
  await npmRun(dir, 'build');
  keysFile = join(root.path, 'keys.json');
  alice = await createKey('alice', 'tools:read,tools:write');
  bob = await createKey('bob', 'approvals:grant');
  carol = await createKey('carol', 'tools:read', 'globex');
}, SLOW);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  for (const name of databases) await psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  await root?.remove();
}, HANG);

/**
 * Park on one replica, list and grant as bob on others, complete on another: written once. Then
 * 20 concurrent replays across the replicas: every one `approval_used`.
 */
async function approvalAcrossReplicas(proxy: Proxy, database: string): Promise<void> {
  const name = `refund-${randomUUID()}`;
  const client = await connectHttp(`${proxy.url}/mcp`, alice, 'auto');
  try {
    const parked = await client.callTool({ name: 'create_record', arguments: { name } });
    const id = /approvalId "(apr_[A-Za-z0-9_-]+)"/.exec(text(parked))?.[1];
    expect(id, text(parked)).toBeDefined();
    const parkedOn = lastServed(proxy, 'tools/call create_record');

    const listed = await admin(proxy, bob);
    expect(listed.body.approvals).toEqual([expect.objectContaining({ id, status: 'pending', arguments: { name } })]);
    const listedOn = lastServed(proxy, 'GET /admin/approvals');
    const granted = await admin(proxy, bob, `/${id}/grant`, 'POST');
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    const grantedOn = lastServed(proxy, `POST /admin/approvals/${id}/grant`);

    const done = await client.callTool({ name: 'create_record', arguments: { name, approvalId: id } });
    expect(done.isError, text(done)).toBeFalsy();
    const doneOn = lastServed(proxy, 'tools/call create_record');
    // Each step on another replica than the step before it.
    expect([listedOn !== parkedOn, grantedOn !== listedOn, doneOn !== grantedOn]).toEqual([true, true, true]);

    const clients = await Promise.all([0, 1, 2].map(() => connectHttp(`${proxy.url}/mcp`, alice, 'auto')));
    try {
      const replays = await Promise.all(
        Array.from({ length: 20 }, (_, i) => clients[i % 3]!.callTool({ name: 'create_record', arguments: { name, approvalId: id } })),
      );
      expect(replays.map((result) => text(result).split(']')[0])).toEqual(Array(20).fill('[approval_used'));
      // Three replicas answered them.
      expect(new Set(proxy.served.slice(-20).map((entry) => entry.replica)).size).toBe(3);
    } finally {
      await Promise.all(clients.map((each) => each.close()));
    }
    expect(await psql(`SELECT count(*) FROM records WHERE tenant_id = 'acme' AND title = '${name}'`, database)).toBe('1');
  } finally {
    await client.close();
  }
}

/**
 * MAX_CALLS_IN_FLIGHT_PER_TENANT=2 across three replicas: with the records table locked, calls
 * hang in their handlers; of 6 at once, 2 run and 4 are refused. Then the replica holding both
 * slots is killed: its slots are free again within the lease (CONCURRENCY_LEASE_SECONDS).
 */
async function concurrencyAcrossReplicas(replicas: Replica[], proxy: Proxy, database: string, slotsHeld: () => Promise<number>): Promise<void> {
  const call = (client: Client) => client.callTool({ name: 'search_records', arguments: { query: 'x' } });
  const unlock = await lockRecords(database);
  const clients = await Promise.all([0, 1, 2].map(() => connectHttp(`${proxy.url}/mcp`, alice, 'auto')));
  try {
    const calls = Array.from({ length: 6 }, (_, i) => call(clients[i % 3]!));
    const refusals: string[] = [];
    for (const each of calls) void each.then((result) => result.isError && refusals.push(text(result)));
    await until(async () => refusals.length === 4, 'four calls refused');
    expect(refusals.every((refusal) => refusal.startsWith('[concurrency_limited]')), refusals.join('\n')).toBe(true);
    await unlock();
    const results = await Promise.all(calls);
    expect(results.filter((result) => !result.isError)).toHaveLength(2);
  } finally {
    await Promise.all(clients.map((each) => each.close()));
  }

  // Both slots held on replica 0 (straight to it, not through the proxy), which is then killed.
  await until(async () => (await slotsHeld()) === 0, 'the first calls\' slots released');
  const unlockAgain = await lockRecords(database);
  const direct = await connectHttp(`${replicas[0]!.base}/mcp`, alice, 'auto');
  const held = [call(direct).catch(() => undefined), call(direct).catch(() => undefined)];
  await until(async () => (await slotsHeld()) === 2, 'two slots held');
  await replicas[0]!.kill('SIGKILL');
  proxy.drop(0);
  await Promise.all(held);
  await unlockAgain();
  // The dead replica's slots stay leased (nobody releases them), until the lease ends.
  expect(await slotsHeld()).toBe(2);
  await until(async () => (await slotsHeld()) === 0, 'the dead replica\'s slots free after the lease');
  const survivor = await connectHttp(`${proxy.url}/mcp`, alice, 'auto');
  try {
    const results = await Promise.all([call(survivor), call(survivor)]);
    for (const result of results) expect(result.isError, text(result)).toBeFalsy();
  } finally {
    await survivor.close();
  }
}

interface Cluster {
  replicas: Replica[];
  proxy: Proxy;
  stop(): Promise<void>;
}

/** Three replicas with `env`, behind a round-robin proxy. */
async function startCluster(env: Record<string, string>, label: string): Promise<Cluster> {
  const replicas = await Promise.all([0, 1, 2].map((i) => startReplica({ ...env, AUDIT_LOG: join(root.path, `audit-${label}-${i}.jsonl`) })));
  const proxy = await startProxy(replicas);
  return { replicas, proxy, stop: async () => void (await Promise.all(replicas.map((replica) => replica.kill()))) };
}

/** Calls held in their handlers (the records table locked) take the cap; a killed replica's slots wait for the lease. */
const CAPPED = { MAX_CALLS_IN_FLIGHT_PER_TENANT: '2', CONCURRENCY_LEASE_SECONDS: '30', DATABASE_STATEMENT_TIMEOUT_MS: '300000' };

describe('three replicas sharing one Redis', () => {
  const keyPrefix = `mcp-e2e:${randomUUID()}`;
  const redisCli = (...args: string[]) => execa('redis-cli', ['-u', E2E_REDIS_URL, ...args]).then((result) => result.stdout.trim());
  let database: { name: string; url: string };
  let shared: Record<string, string>;

  beforeAll(async () => {
    database = await newDatabase();
    shared = { DATABASE_URL: database.url, REDIS_URL: E2E_REDIS_URL, REDIS_KEY_PREFIX: keyPrefix };
  }, SLOW);
  afterAll(async () => {
    const keys = (await redisCli('--scan', '--pattern', `${keyPrefix}:*`)).split('\n').filter(Boolean);
    if (keys.length > 0) await redisCli('del', ...keys);
  });

  it('parks, lists, grants and completes a call on different replicas, written once; replays refused; limits exact', async () => {
    const cluster = await startCluster(shared, 'redis');
    try {
      for (const replica of cluster.replicas) {
        expect(await (await fetch(`${replica.base}/readyz`)).json()).toMatchObject({ status: 'ready', stateStore: 'redis', checks: { redis: true } });
        expect(replica.output()).toMatch(/"sharedState":"redis"/);
      }
      await approvalAcrossReplicas(cluster.proxy, database.name);

      // list_records allows LIMIT calls a minute per tenant (its own rateLimit), counted in Redis by all three.
      const clients = await Promise.all([0, 1, 2].map(() => connectHttp(`${cluster.proxy.url}/mcp`, carol, 'auto')));
      try {
        const results = await Promise.all(Array.from({ length: 30 }, (_, i) => clients[i % 3]!.callTool({ name: 'list_records', arguments: { query: `q${i}` } })));
        expect(results.filter((result) => !result.isError)).toHaveLength(LIMIT);
        for (const result of results.filter((each) => each.isError)) expect(text(result)).toMatch(/^\[rate_limited\] Too many calls to list_records/);
        expect(new Set(cluster.proxy.served.slice(-30).map((entry) => entry.replica)).size).toBe(3);
      } finally {
        await Promise.all(clients.map((each) => each.close()));
      }
    } finally {
      await cluster.stop();
    }
  }, SLOW);

  it("holds the concurrency cap across the replicas, and frees a killed replica's slots within the lease", async () => {
    const cluster = await startCluster({ ...shared, ...CAPPED }, 'redis-capped');
    try {
      await concurrencyAcrossReplicas(cluster.replicas, cluster.proxy, database.name, async () =>
        Number(await redisCli('zcount', `${keyPrefix}:slots:acme`, `(${Date.now()}`, '+inf')),
      );
    } finally {
      await cluster.stop();
    }
  }, SLOW);
});

describe('three replicas sharing only PostgreSQL', () => {
  let database: { name: string; url: string };

  beforeAll(async () => {
    database = await newDatabase();
  }, SLOW);

  it('parks, lists, grants and completes a call on different replicas, written once; replays refused', async () => {
    const cluster = await startCluster({ DATABASE_URL: database.url }, 'pg');
    try {
      for (const replica of cluster.replicas) {
        expect(await (await fetch(`${replica.base}/readyz`)).json()).toMatchObject({ status: 'ready', stateStore: 'postgres', checks: { state: true } });
      }
      await approvalAcrossReplicas(cluster.proxy, database.name);
    } finally {
      await cluster.stop();
    }
  }, SLOW);

  it("holds the concurrency cap across the replicas, and frees a killed replica's slots within the lease", async () => {
    const cluster = await startCluster({ DATABASE_URL: database.url, ...CAPPED }, 'pg-capped');
    try {
      await concurrencyAcrossReplicas(cluster.replicas, cluster.proxy, database.name, async () =>
        Number(await psql("SELECT count(*) FROM mcp_call_slots WHERE tenant_id = 'acme' AND lease_until > clock_timestamp()", database.name)),
      );

      // PostgreSQL unreachable for this database, its connections dropped, one of them in a call's
      // transaction: that call and approval calls get a clean `unavailable`, and every replica recovers.
      const client = await connectHttp(`${cluster.proxy.url}/mcp`, alice, 'auto');
      try {
        const unlock = await lockRecords(database.name);
        const inFlight = client.callTool({ name: 'search_records', arguments: { query: 'x' } });
        await until(async () => (await psql(`SELECT count(*) FROM pg_stat_activity WHERE datname = '${database.name}' AND wait_event_type = 'Lock'`)) === '1', 'a call waiting in its transaction');
        await psql(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS false`);
        await psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.name}' AND pid <> pg_backend_pid()`);
        await unlock();
        expect(text(await inFlight)).toMatch(/^\[unavailable\] The database is unavailable right now/);
        const refused = await client.callTool({ name: 'create_record', arguments: { name: 'during the outage' } });
        expect(text(refused)).toMatch(/^\[unavailable\] Approvals cannot be checked right now/);
        expect((await admin(cluster.proxy, bob)).status).toBe(503);
        await psql(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`);
        await until(async () => /^\[approval_required\]/.test(text(await client.callTool({ name: 'create_record', arguments: { name: 'after the outage' } }))), 'approvals back');
        // Replica 0 was killed above; the others lived through their connections being dropped.
        for (const replica of cluster.replicas.slice(1)) {
          expect(await (await fetch(`${replica.base}/readyz`)).json()).toMatchObject({ status: 'ready' });
        }
      } finally {
        await psql(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`).catch(() => {});
        await client.close();
      }
    } finally {
      await cluster.stop();
    }
  }, SLOW);
});

describe('a Redis restarted under load', () => {
  let redis: ChildProcess | undefined;
  let port: number;
  const startRedis = async () => {
    // No persistence: a restart forgets every key.
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    cleanups.push(async () => redis?.kill('SIGKILL'));
    await until(() => execa('redis-cli', ['-p', String(port), 'ping'], { reject: false }).then((result) => result.stdout.trim() === 'PONG'), 'redis-server up');
  };
  const stopRedis = () =>
    new Promise<void>((resolve) => {
      if (!redis || redis.exitCode !== null || redis.signalCode !== null) return resolve();
      redis.once('exit', () => resolve());
      redis.kill('SIGKILL');
    });

  it('follows the fail policy while it is down and recovers without a server restart; an approval parked before is cleanly not found', async () => {
    port = await freePort();
    await startRedis();
    const database = await newDatabase();
    const replicas = await Promise.all(
      [0, 1].map((i) =>
        startReplica({ DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_FAILURE_MODE: 'open', AUDIT_LOG: join(root.path, `audit-restart-${i}.jsonl`) }),
      ),
    );
    const proxy = await startProxy(replicas);
    const client = await connectHttp(`${proxy.url}/mcp`, alice, 'auto');
    let loading = true;
    let load: Promise<void> = Promise.resolve();
    try {
      const parked = await client.callTool({ name: 'create_record', arguments: { name: 'parked before the restart' } });
      const id = /approvalId "(apr_[A-Za-z0-9_-]+)"/.exec(text(parked))?.[1]!;
      expect((await admin(proxy, bob, `/${id}/grant`, 'POST')).status).toBe(200);

      // Load: calls keep coming while Redis goes away and comes back.
      const outcomes: string[] = [];
      load = (async () => {
        while (loading) {
          const result = await client.callTool({ name: 'search_records', arguments: { query: 'x' } }).catch((error: Error) => ({ isError: true, content: [{ type: 'text', text: error.message }] }));
          outcomes.push(result.isError ? text(result) : 'ok');
          // Let timers and child processes' events run between calls, whatever the answer.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await stopRedis();
      const downFrom = outcomes.length;
      await until(async () => (await (await fetch(`${replicas[0]!.base}/readyz`)).json()).degraded?.includes('redis'), 'redis reported degraded');
      // RATE_LIMIT_FAILURE_MODE=open: reads go on with per-process limits; an approval cannot be checked.
      await until(async () => outcomes.length >= downFrom + 10, 'calls during the outage');
      expect(outcomes.slice(downFrom + 5)).toContain('ok');
      expect(text(await client.callTool({ name: 'create_record', arguments: { name: 'parked before the restart', approvalId: id } }))).toMatch(/^\[unavailable\]/);

      await startRedis();
      for (const replica of replicas) {
        await until(async () => {
          const report = await (await fetch(`${replica.base}/readyz`)).json();
          return report.status === 'ready' && report.checks.redis === true && report.degraded === undefined;
        }, 'redis back on every replica');
      }
      const upFrom = outcomes.length;
      await until(async () => outcomes.length >= upFrom + 10, 'calls after the restart');
      loading = false;
      await load;
      expect(outcomes.slice(upFrom)).toEqual(Array(outcomes.length - upFrom).fill('ok'));
      // The counters are in Redis again: the budget key exists there.
      expect((await execa('redis-cli', ['-p', String(port), '--scan', '--pattern', '*tool:search_records*'])).stdout).not.toBe('');
      // The approval was in the Redis that forgot everything: a clean not-found, and nothing written.
      expect(text(await client.callTool({ name: 'create_record', arguments: { name: 'parked before the restart', approvalId: id } }))).toMatch(/^\[approval_not_found\]/);
      expect(await psql("SELECT count(*) FROM records WHERE title = 'parked before the restart'", database.name)).toBe('0');
    } finally {
      loading = false;
      await load;
      await client.close();
      await Promise.all(replicas.map((replica) => replica.kill()));
      await stopRedis();
    }
  }, SLOW);
});
