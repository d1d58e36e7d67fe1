/**
 * `mcp-gen import postgres`: a schema (here a schema-only dump, which the import loads into
 * PGlite) mapped to tools — names, parameters, access and approval, descriptions from COMMENT ON,
 * refusals — and the command in a generated repo: what it writes, what a re-import keeps, and
 * that bad input writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { readTree, tempDir } from '../support/temp-dir.js';
import { mapSchema, type DbSchema } from '../../src/import/postgres/index.js';
import { readSchemaFromDump } from '../../src/import/postgres/sources.js';
import { toolName } from '../../src/import/postgres/names.js';
import { PostgresImportSpec } from '../../src/spec/project-spec.js';
import { SpecError } from '../../src/spec/issues.js';
import { queryContext } from '../../src/render/query-context.js';
import { toolsLock } from '../../src/contract/tools-lock.js';
import { currentSpec } from '../../src/commands/respec.js';
import { readRepoState } from '../../src/upgrade/repo-state.js';
import { classifyChanges, type ContractDoc } from '../../templates/base/scripts/contract/classify.js';

const SCHEMA = `
CREATE TABLE customers (
  tenant_id text NOT NULL,
  id bigserial,
  name text NOT NULL,
  email varchar(200),
  "limit" integer,
  tenant_region text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX customers_email ON customers (tenant_id, email);
COMMENT ON TABLE customers IS 'People who buy from the tenant';
COMMENT ON COLUMN customers.email IS 'Where invoices are sent';
CREATE TABLE order_items (
  tenant_id text NOT NULL,
  order_id uuid NOT NULL,
  line integer NOT NULL,
  quantity integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, order_id, line)
);
CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);
CREATE TABLE audit_trail (tenant_id text NOT NULL, entry text);
CREATE TABLE a_table_whose_name_is_far_too_long_for_a_tool_name_of_sixty_four_chars (
  tenant_id text NOT NULL, id integer NOT NULL, PRIMARY KEY (tenant_id, id)
);
-- A dump names owners; the import creates missing roles in its scratch database.
ALTER TABLE countries OWNER TO app_owner;
`;

let root: { path: string; remove: () => Promise<void> };
let dump: string;
let schema: DbSchema;
const label = (field: string) => `--${field}`;

beforeAll(async () => {
  root = await tempDir('cms-import-pg-');
  dump = join(root.path, 'schema.sql');
  await writeFile(dump, SCHEMA);
  schema = await readSchemaFromDump(dump, '<source>', 'public');
}, 240_000);
afterAll(() => root.remove());

const overlay = (fields: Record<string, unknown>) => PostgresImportSpec.parse({ source: 'schema.sql', ...fields });

describe('import postgres: the mapping', () => {
  it('reads tables, keys, indexes and comments from a dump loaded into PGlite', () => {
    const customers = schema.tables.find((t) => t.name === 'customers')!;
    expect(customers.comment).toBe('People who buy from the tenant');
    expect(customers.columns.find((c) => c.name === 'email')).toMatchObject({ sqlType: 'character varying', ddlType: 'character varying(200)', comment: 'Where invoices are sent' });
    expect(customers.constraints.find((c) => c.type === 'p')?.columns).toEqual(['tenant_id', 'id']);
    expect(customers.indexes.find((i) => i.name === 'customers_email')?.columns).toEqual(['tenant_id', 'email']);
  });

  it('makes get, list and search per table, reads only, verb-first and unique', () => {
    const { tools } = mapSchema(schema, overlay({ tables: ['customers', 'order_items', 'countries'], shared: ['countries'] }), label);
    expect(tools.map((t) => `${t.name}:${t.access}:${t.approval}`)).toEqual([
      'get_customer:read:none',
      'list_customers:read:none',
      'search_customers:read:none',
      'get_order_item:read:none',
      'list_order_items:read:none',
      'get_country:read:none',
      'list_countries:read:none',
      'search_countries:read:none',
    ]);
    const get = tools.find((t) => t.name === 'get_customer')!;
    expect(get.params).toEqual([{ name: 'id', type: 'integer', description: 'The id column (bigint).', required: true }]);
    expect(get.description).toContain('People who buy from the tenant.');
    expect(get.query).toMatchObject({ table: 'customers', kind: 'get', key: ['id'], tenant: { column: 'tenant_id', sqlType: 'text' } });
    // The tenant column is neither an argument nor part of a row.
    expect(get.query.columns.map((c) => c.column)).not.toContain('tenant_id');
    // A column named like a reserved argument is renamed; a column naming a tenant is never an argument.
    expect(get.query.columns.find((c) => c.column === 'limit')?.param).toBe('limit_value');
    const list = tools.find((t) => t.name === 'list_customers')!;
    expect(list.params!.map((p) => p.name)).toEqual(['email', 'limit', 'after']);
    expect(list.params![0]!.description).toBe('Where invoices are sent');
    const search = tools.find((t) => t.name === 'search_customers')!;
    expect(search.query.search).toEqual(['name', 'email']);
    // search pages as list does: keyset, by the key, `after` the last page's nextCursor.
    expect(search.params!.map((p) => p.name)).toEqual(['query', 'limit', 'after']);
    expect(search.description).toContain('pass it as after for the next page');
    const paged = queryContext(search.query, search.params);
    expect(paged.paged).toBe(true);
    expect(paged.values).toEqual(['likePattern(input.query)', 'after[0] ?? null']);
    expect(paged.supportImports).toContain('decodeCursor');
    // A search_ tool an earlier import wrote (no `after` in mcp-gen.json) still renders, unpaged, until a re-import.
    const earlier = queryContext(search.query, search.params!.filter((p) => p.name !== 'after'));
    expect(earlier.paged).toBe(false);
    expect(earlier.values).toEqual(['likePattern(input.query)', 'null']);
    expect(earlier.supportImports).not.toContain('decodeCursor');
    for (const tool of tools) expect(tool.params!.map((p) => p.name).filter((n) => /tenant/i.test(n))).toEqual([]);
    expect(tools.find((t) => t.name === 'get_order_item')!.params!.map((p) => `${p.name}:${p.type}`)).toEqual(['order_id:string', 'line:integer']);
    expect(tools.find((t) => t.name === 'get_country')!.query.tenant).toBeUndefined();
  });

  it('adds create and update with approval "human" only when asked, and never on shared data', () => {
    const { tools } = mapSchema(schema, overlay({ tables: ['customers', 'countries'], shared: ['countries'], writes: true }), label);
    const writes = tools.filter((t) => t.access === 'write');
    expect(writes.map((t) => `${t.name}:${t.approval}`)).toEqual(['create_customer:human', 'update_customer:human']);
    const create = writes[0]!;
    expect(create.params!.map((p) => `${p.name}${p.required ? '' : '?'}`)).toEqual(['id?', 'name', 'email?', 'limit_value?']);
    expect(writes[1]!.params!.map((p) => `${p.name}${p.required ? '' : '?'}`)).toEqual(['id', 'name?', 'email?', 'limit_value?']);
  });

  it('clips long names to 64 characters, predictably', () => {
    // PostgreSQL keeps 63 characters of the name; the tools' names are longer still.
    const long = schema.tables.find((t) => t.name.startsWith('a_table_whose'))!.name;
    expect(long).toHaveLength(63);
    const { tools } = mapSchema(schema, overlay({ tables: [long] }), label);
    for (const tool of tools) expect(tool.name.length).toBeLessThanOrEqual(64);
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
    expect(toolName('get', 'x'.repeat(80))).toBe(toolName('get', 'x'.repeat(80)));
  });

  it('applies the overrides of the overlay by imported name', () => {
    const { tools } = mapSchema(
      schema,
      overlay({ tables: ['customers'], overrides: { get_customer: { name: 'crm.get_customer', description: 'Look a customer up by id.', scopes: ['crm:read'], rateLimit: { perMinute: 30 } } } }),
      label,
    );
    expect(tools[0]).toMatchObject({ name: 'crm.get_customer', description: 'Look a customer up by id.', scopes: ['crm:read'], rateLimit: { perMinute: 30 } });
  });

  it('refuses a table without the tenant column, an unknown table, a table without a key, naming the field', () => {
    const refused = (fields: Record<string, unknown>) => {
      try {
        mapSchema(schema, overlay(fields), label);
      } catch (error) {
        expect(error).toBeInstanceOf(SpecError);
        return (error as SpecError).problems;
      }
      throw new Error('not refused');
    };
    expect(refused({ tables: ['countries'] })).toEqual([
      '--tenantColumn: table "countries" has no column "tenant_id"; name the tenant column, mark the table shared reference data (read-only) with --shared countries, or leave it out',
    ]);
    expect(refused({ tables: ['nope'] })[0]).toMatch(/^--tables: "nope" is not a table of schema "public" \(its tables: /);
    expect(refused({ tables: ['audit_trail'] })[0]).toMatch(/^--tables: table "audit_trail" has no primary key/);
    expect(refused({ tables: ['customers'], shared: ['customers'] })[0]).toMatch(/has the tenant column "tenant_id", so it is not shared reference data/);
    expect(refused({ tables: ['customers'], overrides: { get_nothing: { name: 'x' } } })[0]).toMatch(/^--overrides: "get_nothing" is not a tool this import makes/);
  });
});

describe('mcp-gen import postgres', () => {
  let repo: string;
  beforeAll(async () => {
    repo = join(root.path, 'repo');
    const run = await createCli(repo, '--yes', '--no-install', '--no-git', '--tool', 'search_notes');
    expect(run.code, run.stderr).toBe(0);
    await writeFile(join(repo, 'schema.sql'), SCHEMA);
  }, 240_000);

  const migrations = async () => (await readdir(join(repo, 'db/migrations'))).sort();

  it('refuses bad input with exit 2 and writes nothing', async () => {
    const before = await readTree(repo);
    const saved = process.env['DATABASE_URL'];
    delete process.env['DATABASE_URL'];
    try {
      const noUrl = await mcpGenCli('import', 'postgres', '-C', repo);
      expect(noUrl.code).toBe(2);
      expect(noUrl.stderr).toContain('DATABASE_URL is not set');
    } finally {
      if (saved !== undefined) process.env['DATABASE_URL'] = saved;
    }
    // A URL typed as the source is refused without its password echoed.
    const typedUrl = await mcpGenCli('import', 'postgres', 'postgres://app:S3cretPw@db.internal:5432/crm', '-C', repo);
    expect(typedUrl.code).toBe(2);
    expect(typedUrl.stderr).toContain('<source>: a connection URL is not taken on the command line');
    expect(typedUrl.stderr + typedUrl.stdout).not.toContain('S3cretPw');
    const noTenant = await mcpGenCli('import', 'postgres', join(repo, 'schema.sql'), '-C', repo, '--table', 'countries');
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toContain('--tenant-column: table "countries" has no column "tenant_id"');
    const unknown = await mcpGenCli('import', 'postgres', join(repo, 'schema.sql'), '-C', repo, '--table', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--table: "nope" is not a table of schema "public"');
    const dry = await mcpGenCli('import', 'postgres', join(repo, 'schema.sql'), '-C', repo, '--table', 'customers', '--writes', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('create_customer                  write, approval human');
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(await readTree(repo)).toEqual(before);
  }, 240_000);

  it('imports: tools with their queries, the postgres backend, the lock, a migration; a re-import keeps edits', async () => {
    const run = await mcpGenCli('import', 'postgres', join(repo, 'schema.sql'), '-C', repo, '--table', 'customers', '--table', 'countries', '--shared', 'countries');
    expect(run.code, run.stderr).toBe(0);
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(spec.backends).toEqual([{ kind: 'sample' }, { kind: 'postgres' }]);
    expect(spec.postgresImport).toMatchObject({ source: 'schema.sql', tables: ['customers', 'countries'], shared: ['countries'], tenantColumn: 'tenant_id' });
    expect(spec.tools.map((t: { name: string }) => t.name)).toEqual(['search_notes', 'get_customer', 'list_customers', 'search_customers', 'get_country', 'list_countries', 'search_countries']);
    expect(spec.tools[1].query).toMatchObject({ table: 'customers', kind: 'get' });
    const tree = await readTree(repo);
    expect(tree['src/backends/postgres/imported/get_customer.ts']).toContain('t."id" = $1::text::bigint');
    expect(tree['src/tools/get_customer.ts']).toContain("throw new ToolError('not_found'");
    expect(tree['src/backends/postgres/imported/search_customers.ts']).toContain('const after = decodeCursor(input.after, 1);');
    expect(tree['test/tools/search_customers.test.ts']).toContain('pages the matches with a cursor');
    expect(Object.keys(JSON.parse(tree['contracts/tools.lock.json']!).tools)).toContain('list_countries');
    expect(await migrations()).toContain('0005_postgres_import.sql');
    const sql = tree['db/migrations/0005_postgres_import.sql']!;
    expect(sql).toContain('ALTER TABLE "public"."customers" ENABLE ROW LEVEL SECURITY;');
    expect(sql).toContain('GRANT SELECT ON "public"."countries" TO mcp_reader, mcp_writer;');
    expect(sql).not.toContain('"countries" ENABLE ROW LEVEL SECURITY');

    // The same schema again: nothing new; an edited tool file is the user's.
    await writeFile(join(repo, 'src/tools/get_customer.ts'), `${tree['src/tools/get_customer.ts']}\n// kept by the team\n`);
    expect((await mcpGenCli('import', 'postgres', '-C', repo)).code).toBe(0);
    expect(await migrations()).not.toContain('0006_postgres_import.sql');

    // A changed schema (a new column): a new migration, the query regenerated, the edit kept.
    await writeFile(join(repo, 'schema.sql'), SCHEMA.replace('email varchar(200),', 'email varchar(200),\n  phone text,'));
    const again = await mcpGenCli('import', 'postgres', '-C', repo);
    expect(again.code, again.stderr).toBe(0);
    expect(await migrations()).toContain('0006_postgres_import.sql');
    const after = await readTree(repo);
    expect(after['src/tools/get_customer.ts']).toContain('// kept by the team');
    expect(after['src/backends/postgres/imported/get_customer.ts']).toContain("'phone', t.\"phone\"");
    expect(after['db/migrations/0006_postgres_import.sql']).toContain('ADD COLUMN IF NOT EXISTS "phone" text;');
  }, 300_000);

  it('a re-import that leaves a table out: its untouched files go, an edited tool stays and is reported, its grants are revoked', async () => {
    // From the test above: customers (get_customer.ts edited by the team) and countries (shared), writes off.
    const tools = (files: Record<string, string>, table: string) => Object.keys(files).filter((p) => new RegExp(`/(get|list|search)_${table}`).test(p)).sort();
    const before = await readTree(repo);
    expect(tools(before, 'countr')).toHaveLength(9);
    const lockBefore = JSON.parse(before['contracts/tools.lock.json']!);

    const dropCountries = await mcpGenCli('import', 'postgres', '-C', repo, '--table', 'customers');
    expect(dropCountries.code, dropCountries.stderr).toBe(0);
    expect(dropCountries.stdout).toMatch(/get_country +removed \(its table or kind is no longer imported\): no longer served; its files are deleted/);
    const after = await readTree(repo);
    expect(tools(after, 'countr')).toEqual([]);
    expect(after['src/tools/registry.ts']).not.toContain('get_country');
    expect(JSON.parse(after['.mcp-gen/manifest.json']!).files['src/tools/get_country.ts']).toBeUndefined();
    // The lock keeps the removed tools: the contract check reports each removal as breaking.
    expect(JSON.parse(after['contracts/tools.lock.json']!)).toEqual(lockBefore);
    const spec = currentSpec(await readRepoState(repo));
    const findings = classifyChanges(lockBefore as ContractDoc, toolsLock(spec) as ContractDoc, { today: '2026-01-15' });
    expect(findings.filter((f) => f.class === 'breaking').map((f) => f.message)).toEqual([
      'get_country: tool was removed without being deprecated first (breaking)',
      'list_countries: tool was removed without being deprecated first (breaking)',
      'search_countries: tool was removed without being deprecated first (breaking)',
    ]);
    // The new migration takes back what the server's roles were granted on countries.
    const revoking = after['db/migrations/0007_postgres_import.sql']!;
    expect(revoking).toContain('-- Revoked: what this import no longer serves.');
    expect(revoking).toContain(`  IF to_regclass('"public"."countries"') IS NOT NULL THEN\n    REVOKE SELECT, INSERT, UPDATE ON "public"."countries" FROM mcp_reader, mcp_writer;`);
    expect(revoking).not.toContain('GRANT SELECT ON "public"."countries"');
    // Done once: the same choices again add no migration.
    expect((await mcpGenCli('import', 'postgres', '-C', repo)).code).toBe(0);
    expect(await migrations()).not.toContain('0008_postgres_import.sql');

    // Writes on, then off again: the writer's INSERT and UPDATE are revoked.
    expect((await mcpGenCli('import', 'postgres', '-C', repo, '--writes')).code).toBe(0);
    expect((await readTree(repo))['db/migrations/0008_postgres_import.sql']).toContain('GRANT INSERT, UPDATE ON "public"."customers" TO mcp_writer;');
    const noWrites = await mcpGenCli('import', 'postgres', '-C', repo, '--no-writes');
    expect(noWrites.code, noWrites.stderr).toBe(0);
    expect((await readTree(repo))['db/migrations/0009_postgres_import.sql']).toContain('REVOKE INSERT, UPDATE ON "public"."customers" FROM mcp_writer;');

    // customers left out too (countries back in): get_customer.ts was edited, so its files stay, reported; the others go.
    const dropCustomers = await mcpGenCli('import', 'postgres', '-C', repo, '--table', 'countries', '--shared', 'countries');
    expect(dropCustomers.code, dropCustomers.stderr).toBe(0);
    expect(dropCustomers.stdout).toContain(
      'get_customer                     removed (its table or kind is no longer imported): no longer served; you edited src/tools/get_customer.ts, so src/tools/get_customer.ts, test/tools/get_customer.test.ts, src/backends/postgres/imported/get_customer.ts are kept for you to delete',
    );
    const last = await readTree(repo);
    expect(last['src/tools/get_customer.ts']).toContain('// kept by the team');
    expect(last['src/backends/postgres/imported/get_customer.ts']).toBeDefined();
    expect(last['test/tools/get_customer.test.ts']).toBeDefined();
    expect(tools(last, 'customer').filter((p) => !p.includes('get_customer'))).toEqual([]);
    expect(last['src/tools/registry.ts']).not.toContain('get_customer');
  }, 300_000);
});

describe('create-mcp-server --postgres-import', () => {
  it('creates a repo whose tools are the imported ones, with the migration and the overlay', async () => {
    const dir = join(root.path, 'created');
    const config = join(root.path, 'created.json');
    await writeFile(config, JSON.stringify({ transport: 'http', auth: 'api-key', postgresImport: { tables: ['customers', 'countries'], shared: ['countries'], writes: true } }));
    const run = await createCli(dir, '--yes', '--no-install', '--no-git', '--config', config, '--postgres-import', dump);
    expect(run.code, run.stderr).toBe(0);
    const spec = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    expect(spec.backends).toEqual([{ kind: 'postgres' }]);
    expect(spec.tools.map((t: { name: string }) => t.name)).toEqual([
      'get_customer', 'list_customers', 'search_customers', 'create_customer', 'update_customer', 'get_country', 'list_countries', 'search_countries',
    ]);
    expect(spec.postgresImport).toMatchObject({ source: '../schema.sql', writes: true });
    const tree = await readTree(dir);
    expect(tree['db/migrations/0005_postgres_import.sql']).toContain('CREATE POLICY "customers_tenant_isolation"');
    expect(Object.keys(JSON.parse(tree['contracts/tools.lock.json']!).tools)).toContain('update_customer');
  }, 240_000);

  it('chooses the tables with the flags mcp-gen import postgres takes, over the config', async () => {
    const dir = join(root.path, 'created-flags');
    const config = join(root.path, 'created-flags.json');
    await writeFile(config, JSON.stringify({ postgresImport: { tables: ['customers'], rowCap: 20 } }));
    const run = await createCli(
      dir, '--yes', '--no-install', '--no-git', '--config', config, '--postgres-import', dump,
      '--table', 'customers', '--table', 'countries', '--shared', 'countries', '--writes', '--row-cap', '50', '--tenant-column', 'tenant_id', '--schema', 'public',
    );
    expect(run.code, run.stderr).toBe(0);
    const spec = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    expect(spec.postgresImport).toMatchObject({ tables: ['customers', 'countries'], shared: ['countries'], writes: true, rowCap: 50, tenantColumn: 'tenant_id', schema: 'public' });
    expect(spec.tools.map((t: { name: string }) => t.name)).toContain('create_customer');
    expect(spec.tools.map((t: { name: string }) => t.name)).toContain('search_countries');
  }, 240_000);

  it('refuses a bad table flag with exit 2, naming the flag, the value and what is allowed, and writes nothing', async () => {
    const dir = join(root.path, 'created-refused');
    const refused = async (...flags: string[]) => {
      const run = await createCli(dir, '--yes', '--no-install', '--no-git', ...flags);
      expect(run.code, run.stdout).toBe(2);
      return run.stderr;
    };
    expect(await refused('--postgres-import', dump, '--row-cap', 'many')).toContain('--row-cap: "many" is not allowed; expected a whole number of rows from 1 to 1000');
    expect(await refused('--postgres-import', dump, '--row-cap', '5000')).toMatch(/--row-cap: .*5000/);
    expect(await refused('--postgres-import', dump, '--table', 'nope')).toContain('--table: "nope" is not a table of schema "public"');
    expect(await refused('--postgres-import', dump, '--table', 'countries')).toContain('--tenant-column: table "countries" has no column "tenant_id"');
    expect(await refused('--postgres-import', dump, '--tenant-column', 'owner')).toContain('--tenant-column: table "customers" has no column "owner"');
    expect(await refused('--table', 'customers', '--writes')).toContain('--table: applies to an import of PostgreSQL tables; add --postgres-import <DATABASE_URL|dump.sql>');
    const typedUrl = await refused('--postgres-import', 'postgresql://app:S3cretPw@db.internal/crm');
    expect(typedUrl).toContain('--postgres-import: a connection URL is not taken on the command line');
    expect(typedUrl).not.toContain('S3cretPw');
    await expect(readdir(dir)).rejects.toThrow();
  }, 240_000);

  it('documents the flags in --help', async () => {
    const help = await createCli('--help');
    for (const flag of ['--table <name>', '--shared <table>', '--tenant-column <column>', '--writes', '--no-writes', '--schema <name>', '--row-cap <rows>']) {
      expect(help.stdout).toMatch(new RegExp(`${flag.replace(/[<>]/g, '.')}\\s+with --postgres-import: `));
    }
  });
});
