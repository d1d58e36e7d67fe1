/**
 * The backend layers as the generator renders them: which files each backend brings, what it
 * adds to package.json and the configuration, and that each tool's handler reaches its own
 * backend through the path its access allows. (The generated code itself is compiled and run by
 * test/e2e/backend-postgres.test.ts and test/e2e/backend-http.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/parse.js';
import { renderRepo } from '../../src/commands/render-repo.js';
import { dependencyVersions } from '../../src/render/dependency-versions.js';

const tools = [
  { name: 'search_customers', access: 'read', params: [{ name: 'query', type: 'string', required: false }] },
  { name: 'get_customer', access: 'read', params: [{ name: 'id', type: 'string' }] },
  { name: 'create_customer', access: 'write', params: [{ name: 'name', type: 'string' }] },
  { name: 'update_customer', access: 'write', params: [{ name: 'id', type: 'string' }, { name: 'name', type: 'string', required: false }] },
  { name: 'search_orders', access: 'read', backend: 'http' },
  { name: 'create_order', access: 'write', backend: 'http' },
  { name: 'list_notes', access: 'read', backend: 'sample' },
];

async function render(backends: string[], toolList: unknown[] = tools) {
  return renderRepo(parseSpec({ name: 'crm', transport: 'http', auth: 'api-key', backends: backends.map((kind) => ({ kind })), tools: toolList }));
}

describe('backend layers', () => {
  it('bring their adapter, migrations, tests and dependencies, once per backend', async () => {
    const tree = await render(['postgres', 'http', 'sample']);
    for (const path of [
      'src/backends/postgres/postgres-backend.ts',
      'src/backends/postgres/migrate-cli.ts',
      'db/migrations/0001_records.sql',
      'db/migrations/0002_row_level_security.sql',
      'db/migrations/0003_roles.sql',
      'db/seeds/0001_sample_records.sql',
      'test/tenancy-postgres.test.ts',
      'src/backends/http/http-backend.ts',
      'test/http-backend.test.ts',
      'test/tenancy-http.test.ts',
      'test/support/sample-api.ts',
      'src/backends/sample/sample-backend.ts',
    ]) {
      expect(tree.has(path), path).toBe(true);
    }
    const pkg = JSON.parse(tree.get('package.json')!.contents);
    for (const name of ['pg', '@electric-sql/pglite', 'undici', 'cockatiel'] as const) {
      expect(pkg.dependencies[name]).toBe(dependencyVersions[name]);
    }
    expect(pkg.devDependencies['@types/pg']).toBe(dependencyVersions['@types/pg']);
    expect(pkg.scripts).toMatchObject({
      'db:migrate': 'tsx src/backends/postgres/migrate-cli.ts',
      'sample-api': 'tsx test/support/sample-api.ts',
    });
  });

  it('wire only the chosen backends into src/backends/index.ts, config and docs', async () => {
    const only = await render(['postgres'], tools.slice(0, 4));
    const index = only.get('src/backends/index.ts')!.contents;
    expect(index).toContain('postgres: postgres.forTenant(tenantId, scope)');
    expect(index).not.toMatch(/HttpApiStore|SampleStore/);
    expect(only.has('src/backends/http/http-backend.ts')).toBe(false);
    expect(only.has('src/backends/sample/sample-backend.ts')).toBe(false);
    const config = only.get('src/config.ts')!.contents;
    expect(config).toContain('DATABASE_URL: postgresUrl.optional()');
    expect(config).toMatch(/SECRET_VARIABLES = \[[^\]]*'DATABASE_URL', 'DATABASE_READ_URL'/);
    expect(config).not.toContain('HTTP_API_BASE_URL');
    expect(only.get('.env.example')!.contents).toContain('# DATABASE_URL=');
    expect(only.get('README.md')!.contents).toContain('#### Pointing it at an existing database');
    expect(only.get('Dockerfile')!.contents).toContain('COPY --from=build /app/db ./db');

    const http = await render(['http'], tools.slice(4, 6));
    expect(http.get('src/config.ts')!.contents).toMatch(/SECRET_VARIABLES = \[[^\]]*'HTTP_API_CREDENTIALS'/);
    expect(http.get('.env.example')!.contents).toContain('# HTTP_API_BREAKER_THRESHOLD=5');
    expect(http.get('Dockerfile')!.contents).not.toContain('/app/db');
  });

  it('give each tool a handler on its own backend: reads on the read path, writes on the write path', async () => {
    const tree = await render(['postgres', 'http', 'sample']);
    const tool = (name: string) => tree.get(`src/tools/${name}.ts`)!.contents;
    expect(tool('search_customers')).toContain('ctx.backends.postgres.read((db) =>');
    expect(tool('search_customers')).not.toContain('.write(');
    expect(tool('get_customer')).toMatch(/postgres\.read\(\(db\) => getRecord\(db, input\.id\)\)/);
    expect(tool('create_customer')).toContain('ctx.backends.postgres.write((db) =>');
    expect(tool('update_customer')).toContain('updateRecord(db, id,');
    expect(tool('search_orders')).toContain('searchRecords(ctx.backends.http,');
    expect(tool('create_order')).toContain('createRecord(\n      ctx.backends.http,');
    expect(tool('create_order')).toContain('ctx.requestId'); // its Idempotency-Key
    expect(tool('list_notes')).toContain('ctx.backends.sample.search(');
    // Their tests use the same backend for real.
    expect(tree.get('test/tools/update_customer.test.ts')!.contents).toContain("another tenant\\'s id is \"not found\"");
    expect(tree.get('test/tools/search_orders.test.ts')!.contents).toContain('getRecord(harness.app.backends.forTenant(\'globex\').http');
  });

  it('a read tool whose only required string parameter ends in _id gets that record, or not_found', async () => {
    const byCustomer = [
      { name: 'get_customer', access: 'read', params: [{ name: 'customer_id', type: 'string' }, { name: 'fields', type: 'string[]', required: false }] },
      { name: 'get_order', access: 'read', backend: 'http', params: [{ name: 'order_id', type: 'string' }] },
      // Two required strings: which one would be the key? A search, as before.
      { name: 'find_order', access: 'read', params: [{ name: 'customer_id', type: 'string' }, { name: 'status', type: 'string' }] },
      // A write tool keeps creating unless it names an `id`.
      { name: 'add_note', access: 'write', params: [{ name: 'customer_id', type: 'string' }] },
    ];
    const tree = await render(['postgres', 'http'], byCustomer);
    const tool = (name: string) => tree.get(`src/tools/${name}.ts`)!.contents;
    expect(tool('get_customer')).toMatch(/postgres\.read\(\(db\) => getRecord\(db, input\.customer_id\)\)/);
    expect(tool('get_customer')).toContain("throw new ToolError('not_found', 'Record not found.')");
    expect(tool('get_order')).toContain('getRecord(ctx.backends.http, input.order_id)');
    expect(tool('find_order')).toContain('searchRecords(db, {');
    expect(tool('add_note')).toContain('createRecord(db,');
    // Its test and the tenancy test aim the key at a record that exists.
    expect(tree.get('test/tools/get_customer.test.ts')!.contents).toContain("customer_id: 'cus_acme_001'");
    expect(tree.get('test/tools/get_customer.test.ts')!.contents).toContain('[not_found] Record not found.');
    expect(tree.get('test/tenancy-postgres.test.ts')!.contents).toContain('args: (ownerId) => ({ customer_id: ownerId');
    expect(tree.get('test/tenancy-http.test.ts')!.contents).toContain("args: { order_id: 'cus_acme_001' }");
  });

  it('a tool whose spec lists no params takes no arguments', async () => {
    const tree = await render(['sample'], [{ name: 'list_notes', access: 'read' }, { name: 'create_note', access: 'write' }]);
    for (const name of ['list_notes', 'create_note']) {
      expect(tree.get(`src/tools/${name}.ts`)!.contents).toContain('const inputSchema = z.strictObject({});');
      expect(JSON.parse(tree.get('contracts/tools.lock.json')!.contents).tools[name].inputSchema).toEqual({ type: 'object', properties: {}, additionalProperties: false });
    }
    expect(JSON.parse(tree.get('mcp-gen.json')!.contents).tools.map((t: { params: unknown[] }) => t.params)).toEqual([[], []]);
  });

  it('list every postgres tool in the tenancy test, with arguments aimed at the owner\'s rows', async () => {
    const tree = await render(['postgres', 'http', 'sample']);
    const tenancy = tree.get('test/tenancy-postgres.test.ts')!.contents;
    for (const name of ['search_customers', 'get_customer', 'create_customer', 'update_customer']) expect(tenancy).toContain(`name: "${name}"`);
    expect(tenancy).not.toContain('name: "search_orders"');
    expect(tenancy).toContain("args: (ownerId) => ({ id: ownerId, name: 'owner' })");
    expect(tree.get('test/tenancy-http.test.ts')!.contents).toContain('name: "create_order"');
  });

  it('refuse a tool naming a backend the spec does not list', () => {
    expect(() => parseSpec({ name: 'crm', backends: [{ kind: 'postgres' }], tools: [{ name: 'get_x', backend: 'http' }] })).toThrow(
      /tools\[0\]\.backend: "http" is not one of this spec's backends \(postgres\)/,
    );
    expect(() => parseSpec({ name: 'crm', backends: [{ kind: 'http' }, { kind: 'http' }], tools: [{ name: 'get_x' }] })).toThrow(/"http" is listed twice/);
  });
});
