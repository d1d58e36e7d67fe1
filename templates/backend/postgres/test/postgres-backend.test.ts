/**
 * The postgres backend on its own: roles, read-only transactions, row-level security, tenant
 * settings that end with their transaction, bound parameters and clean errors. Runs on the
 * embedded database, or on the PostgreSQL server in DATABASE_URL when it is set.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { BackendCall, BackendScope } from '../src/backends/backend-scope.js';
import { toToolError } from '../src/backends/postgres/errors.js';
import type { PostgresStore } from '../src/backends/postgres/postgres-backend.js';
import { createRecord, getRecord, searchRecords, updateRecord } from '../src/backends/postgres/records.js';
import { ToolError } from '../src/tool-model/define-tool.js';
import { openTestStore, realDatabase, uniqueTenant } from './support/test-database.js';

const WRITE: BackendScope = { access: 'write' };
const READ: BackendScope = { access: 'read' };

let store: PostgresStore;
const tenantA = uniqueTenant('pg-a');
const tenantB = uniqueTenant('pg-b');

beforeAll(async () => {
  store = await openTestStore({ poolMax: 1 });
  await store.forTenant(tenantA, WRITE).write(async (db) => {
    await createRecord(db, { kind: 'customer', title: 'Alpha Industries', attributes: { region: 'eu' } });
    await createRecord(db, { kind: 'note', title: 'Alpha renewal call' });
  });
  await store.forTenant(tenantB, WRITE).write((db) => createRecord(db, { kind: 'customer', title: 'Beta Holdings' }));
});
afterAll(() => store?.close());

/** What PostgreSQL itself says the current transaction is. */
async function whoAmI(scope: BackendScope, tenant: string, mode: 'read' | 'write') {
  const backend = store.forTenant(tenant, scope);
  return (mode === 'read' ? backend.read : backend.write)(async (db) => {
    const { rows } = await db.query<{ role: string; tenant: string; readOnly: string }>(
      "SELECT current_user AS role, current_setting('app.tenant_id') AS tenant, current_setting('transaction_read_only') AS \"readOnly\"",
    );
    return rows[0];
  });
}

describe('postgres backend', () => {
  it('reads in a READ ONLY transaction as the read role, with the tenant set', async () => {
    expect(await whoAmI(READ, tenantA, 'read')).toEqual({ role: 'mcp_reader', tenant: tenantA, readOnly: 'on' });
  });

  it('writes as the write role, with the tenant set', async () => {
    expect(await whoAmI(WRITE, tenantA, 'write')).toEqual({ role: 'mcp_writer', tenant: tenantA, readOnly: 'off' });
  });

  it('ends the tenant and the role with the transaction: a pooled connection carries nothing over', async () => {
    await whoAmI(WRITE, tenantA, 'write');
    // poolMax 1: this is the very connection the transaction above used.
    const after = await store.database.session(async (session) => {
      const { rows } = await session.query<{ tenant: string | null; role: string }>(
        "SELECT current_setting('app.tenant_id', true) AS tenant, current_user AS role",
      );
      return rows[0];
    });
    expect(after?.tenant ?? '').toBe('');
    expect(after?.role).not.toMatch(/^mcp_/);
  });

  it('shows each tenant only its own rows, even to a query without a WHERE', async () => {
    const titles = (tenant: string) =>
      store.forTenant(tenant, READ).read(async (db) => (await db.query<{ title: string }>('SELECT title FROM records ORDER BY title')).rows.map((r) => r.title));
    expect(await titles(tenantA)).toEqual(['Alpha Industries', 'Alpha renewal call']);
    expect(await titles(tenantB)).toEqual(['Beta Holdings']);
    expect(await titles(uniqueTenant('nobody'))).toEqual([]);
  });

  it('lets a tenant change only its own rows, even with an UPDATE without a WHERE', async () => {
    const touched = await store
      .forTenant(tenantB, WRITE)
      .write(async (db) => (await db.query("UPDATE records SET status = 'touched-by-b' RETURNING id")).rowCount);
    expect(touched).toBe(1);
    const statuses = await store
      .forTenant(tenantA, READ)
      .read(async (db) => (await db.query<{ status: string }>('SELECT status FROM records')).rows.map((r) => r.status));
    expect(statuses).not.toContain('touched-by-b');
  });

  it('refuses a row written for another tenant, with a clean message', async () => {
    const attempt = store
      .forTenant(tenantA, WRITE)
      .write((db) => db.query("INSERT INTO records (tenant_id, title) VALUES ($1, 'planted')", [tenantB]));
    await expect(attempt).rejects.toThrow(ToolError);
    await expect(attempt).rejects.toMatchObject({ code: 'forbidden', message: 'This operation is not permitted for your organisation.' });
  });

  it('does not find another tenant\'s record by id, nor update it', async () => {
    const [beta] = await store.forTenant(tenantB, READ).read((db) => searchRecords(db, { text: 'beta' }));
    expect(beta).toBeDefined();
    expect(await store.forTenant(tenantA, READ).read((db) => getRecord(db, beta!.id))).toBeUndefined();
    expect(await store.forTenant(tenantA, WRITE).write((db) => updateRecord(db, beta!.id, { title: 'stolen' }))).toBeUndefined();
    expect((await store.forTenant(tenantB, READ).read((db) => getRecord(db, beta!.id)))?.title).toBe('Beta Holdings');
  });

  it('cannot write through the read path, whatever the SQL says', async () => {
    const attempt = store.forTenant(tenantA, WRITE).read((db) => db.query("INSERT INTO records (title) VALUES ('sneaky')"));
    await expect(attempt).rejects.toMatchObject({ code: 'read_only', message: 'This tool only reads data; it cannot change anything.' });
  });

  it('gives a read tool no write path', async () => {
    const attempt = store.forTenant(tenantA, READ).write((db) => createRecord(db, { kind: 'note', title: 'from a read tool' }));
    await expect(attempt).rejects.toMatchObject({ code: 'read_only' });
    const notes = await store.forTenant(tenantA, READ).read((db) => searchRecords(db, { text: 'from a read tool' }));
    expect(notes).toEqual([]);
  });

  it('binds every value: text that looks like SQL is only text', async () => {
    const hostile = "x'); DELETE FROM records; --";
    expect(await store.forTenant(tenantA, READ).read((db) => searchRecords(db, { text: hostile }))).toEqual([]);
    const created = await store.forTenant(tenantA, WRITE).write((db) => createRecord(db, { kind: 'note', title: hostile }));
    expect(created.title).toBe(hostile);
    expect((await store.forTenant(tenantA, READ).read((db) => searchRecords(db, { limit: 100 }))).length).toBe(3);
  });

  it('turns database errors into business messages without SQL', async () => {
    const tooLong = store.forTenant(tenantA, WRITE).write((db) => createRecord(db, { kind: 'note', title: 'x'.repeat(500) }));
    await expect(tooLong).rejects.toMatchObject({ code: 'invalid_request' });
    const error = (await tooLong.catch((e: unknown) => e)) as Error;
    expect(error.message).not.toMatch(/records|INSERT|constraint|SELECT|title/i);
    // A bug in a query is not explained to the model: it stays an internal error (logged, with a reference).
    const bug = await store.forTenant(tenantA, READ).read((db) => db.query('SELEC nonsense')).catch((e: Error) => e);
    expect(bug).not.toBeInstanceOf(ToolError);
    // A NUL in a string argument is valid JSON, but no text column holds it: the caller's mistake.
    const nul = store.forTenant(tenantA, READ).read((db) => db.query('SELECT $1::text AS t', ['a\u0000b']));
    await expect(nul).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('maps timeouts and lost connections to clean messages', async () => {
    if (realDatabase) {
      const slow = await openTestStore({ statementTimeoutMs: 200 });
      try {
        const attempt = slow.forTenant(tenantA, READ).read((db) => db.query('SELECT pg_sleep(2)'));
        await expect(attempt).rejects.toMatchObject({ code: 'timeout', message: 'The database took too long to answer. Narrow the request or retry later.' });
      } finally {
        await slow.close();
      }
    }
    // PGlite runs in this process and does not enforce statement_timeout: check the mapping itself.
    expect(toToolError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).toMatchObject({ code: 'timeout' });
    expect(toToolError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ code: 'unavailable' });
    expect(toToolError(new Error('timeout exceeded when trying to connect'))).toMatchObject({ code: 'unavailable' });
  });

  // The server side of a restart or failover, on one connection: needs a server to terminate it.
  it.runIf(realDatabase)('fails the transaction whose connection the server drops, and goes on with a new one', async () => {
    const dropping = await openTestStore({ poolMax: 1, statementTimeoutMs: 120_000 });
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      let started!: (pid: number) => void;
      const pid = new Promise<number>((resolve) => (started = resolve));
      const attempt = dropping.forTenant(tenantA, READ).read(async (db) => {
        started((await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
        await db.query('SELECT pg_sleep(60)');
      });
      await admin.query('SELECT pg_terminate_backend($1)', [await pid]);
      await expect(attempt).rejects.toMatchObject({ code: 'unavailable', message: 'The database is unavailable right now. Retry shortly.' });
      // poolMax 1: this works only if the dropped connection was destroyed, not handed out again.
      const after = await dropping.forTenant(tenantA, READ).read((db) => searchRecords(db, { text: 'Alpha' }));
      expect(after.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
      await dropping.close();
    }
  });

  it('reports each call for the audit record', async () => {
    const calls: BackendCall[] = [];
    const scope: BackendScope = { access: 'write', onCall: (call) => calls.push(call) };
    await store.forTenant(tenantA, scope).read((db) => searchRecords(db));
    await store.forTenant(tenantA, scope).write((db) => db.query('SELECT nonsense_function()')).catch(() => {});
    expect(calls).toMatchObject([
      { backend: 'postgres', operation: 'read', outcome: 'ok' },
      { backend: 'postgres', operation: 'write', outcome: 'error', errorCode: 'internal_error' },
    ]);
    expect(calls.every((call) => call.latencyMs >= 0)).toBe(true);
  });

  it('is ready when it can open a read transaction, and not when the server is unreachable', async () => {
    expect(await store.isReady()).toBe(true);
    const unreachable = await openTestStore({ url: 'postgres://mcp@127.0.0.1:1/none', connectTimeoutMs: 500 });
    try {
      expect(await unreachable.isReady()).toBe(false);
      const attempt = unreachable.forTenant(tenantA, READ).read((db) => searchRecords(db));
      await expect(attempt).rejects.toMatchObject({ code: 'unavailable', message: 'The database is unavailable right now. Retry shortly.' });
    } finally {
      await unreachable.close();
    }
  });
});
