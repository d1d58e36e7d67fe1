/**
 * Tenant isolation: a caller only ever reaches its own tenant's data, and nothing in a tool
 * call's arguments can change which tenant that is.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { sampleRecordSchema } from '../src/backends/sample/records.js';
import { defineTool } from '../src/tool-model/define-tool.js';
import { tools } from '../src/tools/registry.js';
import { startHarness, type Harness } from './support/harness.js';

/** Reads and writes through ctx.backends exactly as a tool does; accepts (and ignores) a tenant argument. */
const listRecords = defineTool({
  name: 'probe.list_records',
  version: '1.0.0',
  title: 'List records',
  description: 'Lists the records ctx.backends.sample can see.',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({ tenantId: z.string().optional() }),
  outputSchema: z.object({ tenant: z.string(), records: z.array(sampleRecordSchema) }),
  handler: async (_input, ctx) => ({ tenant: ctx.tenant, records: await ctx.backends.sample.search({ limit: 100 }) }),
});
const addNote = defineTool({
  name: 'probe.add_note',
  version: '1.0.0',
  title: 'Add a note',
  description: 'Creates a note through ctx.backends.sample.',
  access: 'write',
  scopes: ['probe:write'],
  inputSchema: z.object({ title: z.string() }).strict(),
  outputSchema: z.object({ record: sampleRecordSchema }),
  handler: async (input, ctx) => ({ record: await ctx.backends.sample.create({ kind: 'note', title: input.title }) }),
});

type Listing = { tenant: string; records: z.infer<typeof sampleRecordSchema>[] };

describe('tenant isolation', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ tools: [listRecords, addNote], tenant: 'acme' });
  });
  afterEach(() => harness.close());

  it('gives each tenant its own records', async () => {
    const acme = (await harness.call(listRecords.name)).structuredContent as Listing;
    const globexClient = await harness.connectAs({ tenantId: 'globex' });
    const globex = (await globexClient.callTool({ name: listRecords.name, arguments: {} })).structuredContent as Listing;

    expect(acme.records.length).toBeGreaterThan(0);
    expect(globex.records.length).toBeGreaterThan(0);
    expect(acme.records.every((record) => record.id.includes('_acme_'))).toBe(true);
    expect(globex.records.every((record) => record.id.includes('_globex_'))).toBe(true);
  });

  it('keeps what one tenant writes away from the others', async () => {
    const created = (await harness.call(addNote.name, { title: 'acme-only secret plan' })).structuredContent as {
      record: { id: string };
    };
    const globexClient = await harness.connectAs({ tenantId: 'globex' });
    const globex = (await globexClient.callTool({ name: listRecords.name, arguments: {} })).structuredContent as Listing;
    expect(globex.records.map((record) => record.title)).not.toContain('acme-only secret plan');
    expect(await harness.app.backends.forTenant('globex').sample.get(created.record.id)).toBeUndefined();
    expect(await harness.app.backends.forTenant('acme').sample.get(created.record.id)).toBeDefined();
  });

  it('takes the tenant from the credential, never from the arguments', async () => {
    const result = await harness.call(listRecords.name, { tenantId: 'globex' });
    const listing = result.structuredContent as Listing;
    expect(listing.tenant).toBe('acme');
    expect(listing.records.some((record) => record.id.includes('_globex_'))).toBe(false);
  });

  it('lists every backend call in the audit record, refused ones included', async () => {
    await harness.call(listRecords.name);
    await harness.call(addNote.name, { title: 'audited note' });
    const refused: unknown[] = [];
    const readOnly = harness.app.backends.forTenant('acme', { access: 'read', onCall: (call) => refused.push(call) });
    await expect(readOnly.sample.create({ kind: 'note', title: 'x' })).rejects.toThrow(/only reads/);

    const [listed, added] = await harness.auditRecords();
    expect(listed?.backendCalls).toEqual([{ backend: 'sample', operation: 'search', outcome: 'ok', latencyMs: expect.any(Number) }]);
    expect(added?.backendCalls).toEqual([{ backend: 'sample', operation: 'create', outcome: 'ok', latencyMs: expect.any(Number) }]);
    expect(refused).toEqual([{ backend: 'sample', operation: 'create', outcome: 'error', errorCode: 'read_only', latencyMs: expect.any(Number) }]);
  });

  it('starts an unknown tenant empty', async () => {
    const client = await harness.connectAs({ tenantId: 'initech' });
    const result = await client.callTool({ name: listRecords.name, arguments: {} });
    expect((result.structuredContent as Listing).records).toEqual([]);
  });
});

describe('the tools this server ships', () => {
  it.each(tools.map((tool) => [tool.name, tool] as const))('%s has no argument that names a tenant', (_name, tool) => {
    const properties = Object.keys(tool.inputSchema.shape);
    expect(properties.filter((property) => /tenant/i.test(property))).toEqual([]);
  });
});
