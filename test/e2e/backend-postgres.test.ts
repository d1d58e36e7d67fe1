/**
 * `--backend postgres`: a generated server installed, built and tested twice, on the embedded
 * PGlite database (no DATABASE_URL) and on the real PostgreSQL at 127.0.0.1:5432 (in a database
 * created for this run and dropped after it); then started against that PostgreSQL and driven by
 * real SDK Clients of two tenants. The generated tests themselves prove, on both engines, that
 * no tool lets one tenant read or change another's rows, that a read tool cannot write, and
 * that errors reach the model without SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, createKey, expectAllPassed, generate, npmRun, runCiCommands, type RunningServer, SERVED, SLOW, startHttp, structured } from './generated-repo.js';

const PG = { host: '127.0.0.1', port: '5432', user: 'postgres' };
/** A database of this run's own: never any other database on the server. */
const database = `mcpgen_e2e_${process.pid}_${Date.now()}`;
const databaseUrl = `postgres://${PG.user}@${PG.host}:${PG.port}/${database}`;

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let server: RunningServer | undefined;
let databaseCreated = false;

const spec = {
  name: 'crm-pg',
  description: 'Customer records in PostgreSQL.',
  transport: 'http',
  auth: 'api-key',
  backends: [{ kind: 'postgres' }],
  tools: [
    {
      name: 'search_customers',
      access: 'read',
      params: [
        { name: 'query', type: 'string', required: false },
        { name: 'limit', type: 'integer', required: false },
      ],
    },
    { name: 'get_customer', access: 'read', params: [{ name: 'id', type: 'string' }] },
    {
      name: 'create_customer',
      access: 'write',
      params: [
        { name: 'name', type: 'string' },
        { name: 'tags', type: 'string[]', required: false },
        { name: 'vip', type: 'boolean', required: false },
      ],
    },
    {
      name: 'update_customer',
      access: 'write',
      params: [
        { name: 'id', type: 'string' },
        { name: 'name', type: 'string', required: false },
      ],
    },
  ],
};

async function psql(sql: string, db = 'postgres'): Promise<string> {
  const result = await execa('psql', ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-tAc', sql]);
  return result.stdout.trim();
}

/** The generated suite's summary line must show tests ran and none failed. */
beforeAll(async () => {
  root = await tempDir('cms-e2e-pg-');
  dir = join(root.path, 'crm-pg');
  const config = join(root.path, 'spec.json');
  await writeFile(config, JSON.stringify(spec));
  await generate(dir, '--config', config);
}, SLOW);

afterAll(async () => {
  await server?.stop();
  if (databaseCreated) await psql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await root.remove();
}, SERVED);

describe('postgres backend', () => {
  it('builds and passes its own tests on the embedded PGlite database', async () => {
    // What the generated CI workflow runs, with no DATABASE_URL anywhere.
    const out = (await runCiCommands(dir))['npm test'];
    expectAllPassed(out);
    expect(out).toMatch(/tenancy-postgres\.test\.ts/);
    expect(out).toMatch(/postgres-backend\.test\.ts/);
  }, SLOW);

  it('migrates a real PostgreSQL idempotently, then passes the same tests on it', async () => {
    await psql(`CREATE DATABASE "${database}"`);
    databaseCreated = true;
    const env = { DATABASE_URL: databaseUrl };

    const first = await npmRun(dir, 'db:migrate', [], env);
    expect(first).toContain('applied db/migrations/0001_records.sql');
    expect(first).toContain('applied db/migrations/0003_roles.sql');
    expect(await npmRun(dir, 'db:migrate', [], env)).toContain('Database is up to date.');
    expect(await npmRun(dir, 'db:seed', [], env)).toContain('applied db/seeds/0001_sample_records.sql');
    expect(await psql("SELECT relrowsecurity FROM pg_class WHERE relname = 'records'", database)).toBe('t');
    expect(await psql("SELECT count(*) FROM records WHERE tenant_id = 'acme'", database)).not.toBe('0');

    const out = await npmRun(dir, 'test', ['--reporter=verbose'], env);
    expectAllPassed(out);
    for (const name of [
      "no tool of this server lets another tenant read or change the owner's rows",
      'does not let a read tool write, whichever way it tries',
      'answers a broken query with a reference, never with SQL',
      'reads in a READ ONLY transaction as the read role, with the tenant set',
      'maps timeouts and lost connections to clean messages',
    ]) {
      expect(out).toContain(name);
    }
    // The tests ran on this database: they left their own tenants' rows in it.
    expect(Number(await psql("SELECT count(DISTINCT tenant_id) FROM records WHERE tenant_id LIKE 'owner-%'", database))).toBeGreaterThan(0);
  }, SLOW);

  it('serves real Clients from PostgreSQL: tenants apart, read tools read, errors clean', async () => {
    const acmeKey = await createKey(dir, 'acme', 'tools:read,tools:write');
    const globexKey = await createKey(dir, 'globex', 'tools:read,tools:write');
    const readOnlyKey = await createKey(dir, 'acme', 'tools:read');
    await npmRun(dir, 'build');
    server = await startHttp(dir, { DATABASE_URL: databaseUrl });
    const ready = await fetch(server.url.replace('/mcp', '/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { postgres: true } });

    const acme = await connectHttp(server.url, acmeKey, 'auto');
    const globex = await connectHttp(server.url, globexKey, 'legacy');
    const readOnly = await connectHttp(server.url, readOnlyKey, 'auto');
    try {
      const name = `Acme Confidential ${Date.now()}`;
      const created = structured(await acme.callTool({ name: 'create_customer', arguments: { name, tags: ['e2e'], vip: true } })) as {
        record: { id: string; title: string };
      };
      expect(created.record.title).toBe(name);
      // Stored for acme, by the database's own default and policy.
      expect(await psql(`SELECT tenant_id FROM records WHERE id = '${created.record.id}'`, database)).toBe('acme');

      // globex cannot find it, get it, or change it.
      expect(JSON.stringify(structured(await globex.callTool({ name: 'search_customers', arguments: { query: name } })))).not.toContain(name);
      const got = await globex.callTool({ name: 'get_customer', arguments: { id: created.record.id } });
      expect(got.isError).toBe(true);
      expect(JSON.stringify(got.content)).toContain('[not_found] Record not found.');
      const changed = await globex.callTool({ name: 'update_customer', arguments: { id: created.record.id, name: 'globex was here' } });
      expect(changed.isError).toBe(true);
      expect(JSON.stringify(changed.content)).toContain('[not_found]');
      expect(await psql(`SELECT title FROM records WHERE id = '${created.record.id}'`, database)).toBe(name);
      // A tenant argument changes nothing: the strict schema refuses it.
      const sneaky = await globex.callTool({ name: 'search_customers', arguments: { query: name, tenantId: 'acme' } });
      expect(JSON.stringify(sneaky)).not.toContain(name);

      // acme reads and changes its own.
      expect(JSON.stringify(structured(await acme.callTool({ name: 'get_customer', arguments: { id: created.record.id } })))).toContain(name);
      const renamed = structured(await acme.callTool({ name: 'update_customer', arguments: { id: created.record.id, name: `${name} (renamed)` } }));
      expect(JSON.stringify(renamed)).toContain('(renamed)');

      // A read-only key cannot call a write tool: over HTTP, 403 insufficient_scope naming what it needs (step-up).
      await expect(readOnly.callTool({ name: 'create_customer', arguments: { name: 'nope' } })).rejects.toThrow(/insufficient scope.*tools:write/i);

      // A database error is a clean business message: a title over 200 characters breaks a CHECK.
      const invalid = await acme.callTool({ name: 'create_customer', arguments: { name: 'x'.repeat(300) } });
      expect(invalid.isError).toBe(true);
      const text = JSON.stringify(invalid.content);
      expect(text).toContain('[invalid_request]');
      expect(text).not.toMatch(/INSERT|records|constraint|check|violat/i);
    } finally {
      await acme.close();
      await globex.close();
      await readOnly.close();
    }

    // Every call's audit record names its backend calls: read tools on the read path only.
    const exitCode = await server.stop();
    const audit = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"toolVersion"'))
      .map((line) => JSON.parse(line) as { tool: string; outcome: string; backendCalls: Array<{ backend: string; operation: string }> });
    server = undefined;
    expect(exitCode).toBe(0);
    const readCalls = audit.filter((r) => r.tool === 'search_customers' || r.tool === 'get_customer').flatMap((r) => r.backendCalls);
    expect(readCalls.length).toBeGreaterThan(0);
    expect(readCalls.every((call) => call.backend === 'postgres' && call.operation === 'read')).toBe(true);
    expect(audit.some((r) => r.tool === 'create_customer' && r.outcome === 'ok' && r.backendCalls[0]?.operation === 'write')).toBe(true);
  }, SLOW);
});
