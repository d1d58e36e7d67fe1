/**
 * `mcp-gen import postgres` on a real PostgreSQL schema: two tenant tables and one table of
 * shared reference data, with COMMENTs, in a database of this file's own (created here, dropped
 * after). The generated repo is installed, built and passes its own tests; then the imported tools
 * are served on the embedded PGlite database and on that PostgreSQL, and real SDK Clients of two
 * tenants call them: no row of one tenant reaches the other, another tenant's key is not found.
 * A re-import after a schema change keeps the user's edit of a tool file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Client } from '@modelcontextprotocol/client';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, createKey, expectAllPassed, generateFromSpec, npmRun, runCiCommands, type RunningServer, SERVED, SLOW, startHttp, structured } from './generated-repo.js';

const PG = { host: '127.0.0.1', port: '5432', user: 'postgres' };
const database = `mcpgen_import_${process.pid}_${Date.now()}`;
const databaseUrl = `postgres://${PG.user}@${PG.host}:${PG.port}/${database}`;
const mcpGen = fileURLToPath(new URL('../../bin/mcp-gen.js', import.meta.url));

const SCHEMA = `
CREATE TABLE customers (
  tenant_id text NOT NULL,
  id bigserial,
  name text NOT NULL,
  email varchar(200),
  country char(2),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX customers_country ON customers (tenant_id, country);
COMMENT ON TABLE customers IS 'People and companies that buy from the tenant';
COMMENT ON COLUMN customers.email IS 'Where invoices are sent';
CREATE TABLE invoices (
  tenant_id text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id bigint NOT NULL,
  total numeric(12,2) NOT NULL,
  paid boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX invoices_customer ON invoices (tenant_id, customer_id);
COMMENT ON TABLE invoices IS 'Bills sent to customers';
CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);
COMMENT ON TABLE countries IS 'ISO 3166 countries every tenant may refer to';
`;

/** The same rows on both engines: acme owns customers 1 and 2, globex 3. */
const ROWS = `
INSERT INTO customers (tenant_id, id, name, email, country) VALUES
  ('acme', 1, 'Acme Anvils', 'billing@acme.example', 'US'),
  ('acme', 2, 'Acme Rockets', NULL, 'DE'),
  ('globex', 3, 'Globex Corp', 'ap@globex.example', 'US')
ON CONFLICT DO NOTHING;
INSERT INTO invoices (tenant_id, id, customer_id, total, paid) VALUES
  ('acme', '11111111-1111-1111-1111-111111111111', 1, 120.50, false),
  ('globex', '33333333-3333-3333-3333-333333333333', 3, 99.00, true)
ON CONFLICT DO NOTHING;
INSERT INTO countries (code, name) VALUES ('US', 'United States'), ('DE', 'Germany') ON CONFLICT DO NOTHING;
`;

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let server: RunningServer | undefined;
let databaseCreated = false;

async function psql(sql: string, db = 'postgres'): Promise<string> {
  const result = await execa('psql', ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-tAc', sql]);
  return result.stdout.trim();
}

async function importPostgres(...args: string[]) {
  return execa('node', [mcpGen, 'import', 'postgres', ...args], { cwd: dir, all: true, reject: false, env: { DATABASE_URL: databaseUrl } });
}

beforeAll(async () => {
  await psql(`CREATE DATABASE "${database}"`);
  databaseCreated = true;
  await psql(SCHEMA, database);
  await psql(ROWS, database);
  root = await tempDir('cms-e2e-import-pg-');
  dir = join(root.path, 'crm-import');
  await generateFromSpec(dir, {
    name: 'crm-import',
    transport: 'http',
    auth: 'api-key',
    backends: [{ kind: 'postgres' }],
    tools: [{ name: 'search_notes', access: 'read', params: [{ name: 'query', type: 'string', required: false }] }],
  });
  const run = await importPostgres('--shared', 'countries', '--writes');
  if (run.exitCode !== 0) throw new Error(`import failed (${run.exitCode}):\n${run.all}`);
}, SLOW);

afterAll(async () => {
  await server?.stop();
  if (databaseCreated) await psql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await root?.remove();
}, SERVED);

const rowsOf = (result: unknown) => (structured(result) as { rows: Array<Record<string, unknown>> }).rows;

/** Two tenants' Clients on a served repo: each sees its own rows and the shared ones, nothing of the other's. */
async function checkTenants(url: string, acmeKey: string, globexKey: string): Promise<void> {
  const acme = await connectHttp(url, acmeKey, 'auto');
  const globex = await connectHttp(url, globexKey, 'legacy');
  const call = (client: Client, name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args });
  try {
    const names = async (client: Client) => [
      ...rowsOf(await call(client, 'list_customers')).map((r) => r['name']),
      ...rowsOf(await call(client, 'search_customers', { query: 'o' })).map((r) => r['name']),
      ...rowsOf(await call(client, 'list_customers', { country: 'US' })).map((r) => r['name']),
    ];
    expect(new Set(await names(acme))).toEqual(new Set(['Acme Anvils', 'Acme Rockets']));
    expect(new Set(await names(globex))).toEqual(new Set(['Globex Corp']));
    const invoices = async (client: Client) => rowsOf(await call(client, 'list_invoices')).map((r) => r['id']);
    expect(await invoices(acme)).toEqual(['11111111-1111-1111-1111-111111111111']);
    expect(await invoices(globex)).toEqual(['33333333-3333-3333-3333-333333333333']);

    // A row by its key: the owner gets it, the other tenant gets not_found.
    expect(structured(await call(acme, 'get_customer', { id: 2 }))).toMatchObject({ row: { id: 2, name: 'Acme Rockets', email: null, country: 'DE' } });
    for (const [client, name, args] of [
      [globex, 'get_customer', { id: 1 }],
      [acme, 'get_customer', { id: 3 }],
      [globex, 'get_invoice', { id: '11111111-1111-1111-1111-111111111111' }],
    ] as const) {
      const refused = await call(client, name, args);
      expect(refused.isError, name).toBe(true);
      expect(JSON.stringify(refused.content)).toContain('[not_found]');
      expect(JSON.stringify(refused)).not.toMatch(/Acme|Globex|120\.5|99/);
    }
    expect(structured(await call(globex, 'get_invoice', { id: '33333333-3333-3333-3333-333333333333' }))).toMatchObject({ row: { total: 99, paid: true } });

    // Keyset pages in key order, the cursor carrying on where the last page stopped.
    const first = structured(await call(acme, 'list_customers', { limit: 1 })) as { rows: Array<{ id: number }>; nextCursor: string | null };
    expect(first.rows.map((r) => r.id)).toEqual([1]);
    const second = structured(await call(acme, 'list_customers', { limit: 1, after: first.nextCursor })) as { rows: Array<{ id: number }>; nextCursor: string | null };
    expect(second.rows.map((r) => r.id)).toEqual([2]);
    expect(second.nextCursor).toBeNull();

    // Shared reference data: the same rows for both tenants.
    for (const client of [acme, globex]) {
      expect(rowsOf(await call(client, 'list_countries')).map((r) => r['code'])).toEqual(['DE', 'US']);
      expect(structured(await call(client, 'get_country', { code: 'US' }))).toMatchObject({ row: { name: 'United States' } });
    }
    // No tool takes the tenant: the credential decides it.
    for (const tool of (await acme.listTools()).tools) expect(Object.keys(tool.inputSchema.properties ?? {}).filter((p) => /tenant/i.test(p))).toEqual([]);
  } finally {
    await acme.close();
    await globex.close();
  }
}

describe('mcp-gen import postgres', () => {
  it('writes tools, queries and a migration that installs, builds and passes the repo\'s own tests', async () => {
    const spec = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    expect(spec.tools.map((t: { name: string; access: string; approval?: string }) => `${t.name}:${t.access}:${t.approval ?? 'none'}`)).toEqual([
      'search_notes:read:none',
      'get_country:read:none',
      'list_countries:read:none',
      'search_countries:read:none',
      'get_customer:read:none',
      'list_customers:read:none',
      'search_customers:read:none',
      'create_customer:write:human',
      'update_customer:write:human',
      'get_invoice:read:none',
      'list_invoices:read:none',
      'create_invoice:write:human',
      'update_invoice:write:human',
    ]);
    expect(spec.tools.find((t: { name: string }) => t.name === 'get_customer').description).toContain('People and companies that buy from the tenant.');
    expect(await readdir(join(dir, 'db/migrations'))).toContain('0005_postgres_import.sql');
    const out = (await runCiCommands(dir))['npm test'];
    expectAllPassed(out);
    expect(out).toMatch(/tools\/list_customers\.test\.ts/);
  }, 2 * SLOW);

  it('serves the imported tools on the embedded PGlite database: tenants apart', async () => {
    // A seed of the user's own: the embedded database migrates and seeds itself when it opens.
    await writeFile(join(dir, 'db/seeds/0002_imported_rows.sql'), ROWS);
    const acmeKey = await createKey(dir, 'acme', 'tools:read');
    const globexKey = await createKey(dir, 'globex', 'tools:read');
    server = await startHttp(dir);
    try {
      await checkTenants(server.url, acmeKey, globexKey);
    } finally {
      await server.stop();
      server = undefined;
    }
  }, SERVED);

  it('serves them on the real PostgreSQL after its migration: row-level security, tenants apart', async () => {
    const env = { DATABASE_URL: databaseUrl };
    expect(await npmRun(dir, 'db:migrate', [], env)).toContain('applied db/migrations/0005_postgres_import.sql');
    expect(await psql("SELECT string_agg(relname || '=' || relrowsecurity, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('customers', 'invoices', 'countries')", database)).toBe(
      'countries=false,customers=true,invoices=true',
    );
    const acmeKey = await createKey(dir, 'acme', 'tools:read');
    const globexKey = await createKey(dir, 'globex', 'tools:read');
    server = await startHttp(dir, env);
    try {
      await checkTenants(server.url, acmeKey, globexKey);
    } finally {
      await server.stop();
      server = undefined;
    }
  }, SERVED);

  it('re-imports a changed schema: the user\'s edit survives, the query and a new migration follow the table', async () => {
    await psql('ALTER TABLE customers ADD COLUMN phone text; CREATE INDEX customers_phone ON customers (tenant_id, phone);', database);
    await appendFile(join(dir, 'src/tools/get_customer.ts'), '\n// The support team reads this tool first.\n');
    const run = await importPostgres();
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toContain('Migration: db/migrations/0006_postgres_import.sql');
    expect(await readFile(join(dir, 'src/tools/get_customer.ts'), 'utf8')).toContain('// The support team reads this tool first.');
    expect(await readFile(join(dir, 'src/backends/postgres/imported/list_customers.ts'), 'utf8')).toContain('phone: z.string().optional()');
    expect(await readFile(join(dir, 'db/migrations/0006_postgres_import.sql'), 'utf8')).toContain('ADD COLUMN IF NOT EXISTS "phone" text;');
    await npmRun(dir, 'build');
    // The contract check sees list_customers' new optional filter, and asks for its version bump.
    const contract = await execa('npm', ['run', '--silent', 'contract'], { cwd: dir, all: true, reject: false });
    expect(contract.exitCode).not.toBe(0);
    expect(contract.all).toMatch(/list_customers: .*phone/);
  }, SLOW);
});
