/**
 * The governed catalog of an OpenAPI import: the threshold rule, --mode and openapi.mode, the
 * dry run's listing, the overlay's errors, the spec it writes (three tools, the operations as
 * data), a mode switch on re-import, and the operations' entries in the contract lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { parseSpec } from '../../src/spec/parse.js';
import { callParams } from '../../src/spec/tool-defaults.js';
import { toolsLock } from '../../src/contract/tools-lock.js';
import { currentSpec } from '../../src/commands/respec.js';
import { readRepoState } from '../../src/upgrade/repo-state.js';
import { checkVersions, classifyChanges, type ContractDoc } from '../../templates/base/scripts/contract/classify.js';
import { renderProject } from '../../src/render/render-project.js';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { readTree, tempDir } from '../support/temp-dir.js';

let root: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  root = await tempDir('cms-catalog-');
});
afterAll(() => root.remove());

/** `count` operations: GETs, with every fifth a POST and every seventh a DELETE, tagged by tens. */
function document(count: number): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < count; i++) {
    const tag = `group${Math.floor(i / 10)}`;
    const method = i % 7 === 6 ? 'delete' : i % 5 === 4 ? 'post' : 'get';
    paths[`/things${i}/{thingId}`] = {
      [method]: {
        operationId: `${method === 'get' ? 'get' : method === 'post' ? 'create' : 'delete'}Thing${i}`,
        tags: [tag],
        summary: `${method === 'get' ? 'Get' : method === 'post' ? 'Create' : 'Delete'} thing number ${i} of ${tag}`,
        parameters: [{ name: 'thingId', in: 'path', required: true, description: 'The thing', schema: { type: 'string' } }],
        ...(method === 'post' ? { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { label: { type: 'string', description: 'Its label' } } } } } } } : {}),
        responses: { '200': { description: 'The thing' } },
      },
    };
  }
  return { openapi: '3.0.3', info: { title: 'Things', version: '1' }, servers: [{ url: 'https://things.example.com' }], paths };
}

let n = 0;
async function writeDoc(doc: unknown): Promise<string> {
  const path = join(root.path, `doc-${++n}.json`);
  await writeFile(path, JSON.stringify(doc));
  return path;
}

async function newRepo(name: string): Promise<string> {
  const repo = join(root.path, name);
  expect((await createCli(repo, '--yes', '--no-install', '--no-git', '--tool', 'search_notes')).code).toBe(0);
  return repo;
}

describe('the catalog threshold', () => {
  it('imports 40 operations as tools and 41 as a catalog, saying which and why', async () => {
    const repo = await newRepo('threshold');
    const forty = await mcpGenCli('import', 'openapi', await writeDoc(document(40)), '-C', repo, '--dry-run');
    expect(forty.code, forty.stderr).toBe(0);
    expect(forty.stdout).toContain('Mode: tools (40 operations selected, at most openapi.catalogThreshold (40)): one tool per operation.');
    expect(forty.stdout).toContain('40 tools from');
    const fortyOne = await mcpGenCli('import', 'openapi', await writeDoc(document(41)), '-C', repo, '--dry-run');
    expect(fortyOne.code, fortyOne.stderr).toBe(0);
    expect(fortyOne.stdout).toContain('Mode: catalog (41 operations selected, over openapi.catalogThreshold (40))');
    // Every operation listed with its access and approval.
    expect(fortyOne.stdout).toMatch(/get_thing0 +read +GET \/things0\/\{thingId\}/);
    expect(fortyOne.stdout).toMatch(/create_thing4 +write +POST \/things4\/\{thingId\}/);
    expect(fortyOne.stdout).toMatch(/delete_thing6 +write, approval human +DELETE \/things6\/\{thingId\}/);
    expect(fortyOne.stdout).toContain('src/api-catalog/operations.ts');
    expect(fortyOne.stdout).toContain('Dry run: nothing was written.');
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(spec.catalog).toBeUndefined();
  });

  it('follows openapi.catalogThreshold from the overlay', async () => {
    const repo = await newRepo('threshold-overlay');
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    await writeFile(join(repo, 'mcp-gen.json'), JSON.stringify({ ...spec, openapi: { source: 'x.json', catalogThreshold: 5 } }));
    const run = await mcpGenCli('import', 'openapi', await writeDoc(document(6)), '-C', repo, '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Mode: catalog (6 operations selected, over openapi.catalogThreshold (5))');
  });

  it('--mode tools and --mode catalog force the mode and record it as openapi.mode', async () => {
    const repo = await newRepo('forced');
    const doc = await writeDoc(document(3));
    const catalog = await mcpGenCli('import', 'openapi', doc, '-C', repo, '--mode', 'catalog');
    expect(catalog.code, catalog.stderr).toBe(0);
    expect(catalog.stdout).toContain('Mode: catalog (openapi.mode is "catalog")');
    let spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(spec.openapi.mode).toBe('catalog');
    expect(spec.tools.map((t: { name: string }) => t.name)).toEqual(['search_notes', 'search_operations', 'describe_operation', 'call_operation']);
    expect(spec.catalog.operations.map((t: { name: string }) => t.name)).toEqual(['get_thing0', 'get_thing1', 'get_thing2']);
    const data = await readFile(join(repo, 'src/api-catalog/operations.ts'), 'utf8');
    expect(data.split('\n').filter((line) => line.startsWith('  "{')).length).toBe(3);
    const manifest = JSON.parse(await readFile(join(repo, '.mcp-gen/manifest.json'), 'utf8'));
    expect(manifest.files['src/api-catalog/operations.ts'].class).toBe('managed');
    expect(manifest.files['src/tools/call_operation.ts'].class).toBe('merged');
    const lock = JSON.parse(await readFile(join(repo, 'contracts/tools.lock.json'), 'utf8'));
    expect(Object.keys(lock.tools).sort()).toEqual(['call_operation', 'describe_operation', 'search_notes', 'search_operations']);

    // Again without --mode: the recorded mode holds.
    const again = await mcpGenCli('import', 'openapi', '-C', repo, '--dry-run');
    expect(again.stdout).toContain('Mode: catalog (openapi.mode is "catalog")');

    // A switch back is a contract change: the catalog's tools leave, their lock entries stay for the contract check.
    const tools = await mcpGenCli('import', 'openapi', '-C', repo, '--mode', 'tools');
    expect(tools.code, tools.stderr).toBe(0);
    expect(tools.stdout).toContain('Removed search_operations, describe_operation, call_operation');
    spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(spec.catalog).toBeUndefined();
    expect(spec.tools.map((t: { name: string }) => t.name)).toEqual(['search_notes', 'get_thing0', 'get_thing1', 'get_thing2']);
    await expect(readFile(join(repo, 'src/api-catalog/operations.ts'), 'utf8')).rejects.toThrow();
    const lockAfter = JSON.parse(await readFile(join(repo, 'contracts/tools.lock.json'), 'utf8'));
    expect(Object.keys(lockAfter.tools)).toContain('call_operation');
    expect(Object.keys(lockAfter.tools)).toContain('get_thing0');
  });

  it('keeps the >500 refusal to one tool per operation: 1,200 operations make a catalog', async () => {
    const repo = await newRepo('large');
    const doc = await writeDoc(document(1200));
    const refused = await mcpGenCli('import', 'openapi', doc, '-C', repo, '--mode', 'tools', '--dry-run');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('1200 operations selected beside 1 other tools; a server holds at most 500 tools');
    const started = performance.now();
    const run = await mcpGenCli('import', 'openapi', doc, '-C', repo);
    expect(run.code, run.stderr).toBe(0);
    expect(performance.now() - started).toBeLessThan(20_000);
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(spec.catalog.operations).toHaveLength(1200);
    // The approvals a catalog's DELETEs need reach the server's setup, as an imported tool's would.
    const app = await readFile(join(repo, '.env.example'), 'utf8');
    expect(app).toMatch(/APPROV/);
  });
});

describe('the overlay and flags', () => {
  it('refuses a bad mode in the overlay naming the field, the value and the allowed values, exit 2, writing nothing', async () => {
    const repo = await newRepo('bad-mode');
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    const doc = await writeDoc(document(3));
    await writeFile(join(repo, 'mcp-gen.json'), JSON.stringify({ ...spec, openapi: { source: doc, mode: 'catalogue' } }, null, 2));
    const before = await readTree(repo);
    const run = await mcpGenCli('import', 'openapi', '-C', repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('openapi.mode');
    expect(run.stderr).toContain('catalogue');
    expect(run.stderr).toMatch(/auto.*tools.*catalog/);
    expect(await readTree(repo)).toEqual(before);
  });

  it('refuses a bad --mode and a bad threshold, exit 2, writing nothing', async () => {
    const repo = await newRepo('bad-flag');
    const before = await readTree(repo);
    const doc = await writeDoc(document(3));
    const run = await mcpGenCli('import', 'openapi', doc, '-C', repo, '--mode', 'many');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--mode: "many" is not a mode; use one of auto, tools, catalog');
    expect(await readTree(repo)).toEqual(before);
    const spec = JSON.parse(before['mcp-gen.json']!);
    await writeFile(join(repo, 'mcp-gen.json'), JSON.stringify({ ...spec, openapi: { source: doc, catalogThreshold: 0 } }));
    const threshold = await mcpGenCli('import', 'openapi', '-C', repo);
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toContain('openapi.catalogThreshold');
  });

  it('applies the curation to catalog entries: include, exclude and overrides', async () => {
    const repo = await newRepo('curated');
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    const doc = await writeDoc(document(30));
    await writeFile(
      join(repo, 'mcp-gen.json'),
      JSON.stringify({
        ...spec,
        openapi: {
          source: doc,
          mode: 'catalog',
          include: { tags: ['group0', 'group1'] },
          exclude: { operations: ['getThing1'] },
          overrides: { getThing0: { name: 'fetch_first_thing', rateLimit: { perMinute: 2 }, scopes: ['things:read'] }, deleteThing6: { approval: 'client' } },
        },
      }),
    );
    const run = await mcpGenCli('import', 'openapi', '-C', repo);
    expect(run.code, run.stderr).toBe(0);
    const written = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    const names = written.catalog.operations.map((t: { name: string }) => t.name);
    expect(names).toHaveLength(19);
    expect(names).toContain('fetch_first_thing');
    expect(names).not.toContain('get_thing1');
    expect(names).not.toContain('get_thing25');
    const first = written.catalog.operations.find((t: { name: string }) => t.name === 'fetch_first_thing');
    expect(first.rateLimit).toEqual({ perMinute: 2 });
    expect(first.scopes).toEqual(['things:read']);
    expect(first.http.tags).toEqual(['group0']);
    expect(written.catalog.operations.find((t: { name: string }) => t.name === 'delete_thing6').approval).toBe('client');
    const data = await readFile(join(repo, 'src/api-catalog/operations.ts'), 'utf8');
    expect(data).toContain('\\"name\\":\\"fetch_first_thing\\"');
  });
});

describe('the catalog in the spec', () => {
  const base = { name: 'cat', backends: [{ kind: 'http' }] };
  const op = (name: string, extra: Record<string, unknown> = {}) => ({ name, access: 'read', backend: 'http', http: { method: 'GET', path: '/x' }, ...extra });
  const catalogTools = ['search', 'describe', 'call'].map((role, i) => ({ name: ['search_operations', 'describe_operation', 'call_operation'][i], access: role === 'call' ? 'write' : 'read', catalogRole: role, scopes: [] }));

  it('refuses an operation named like a tool, twice, or without its http call', () => {
    expect(() => parseSpec({ ...base, tools: catalogTools, catalog: { operations: [op('search_operations')] } })).toThrow(/catalog\.operations\[0\]\.name.*share one namespace/s);
    expect(() => parseSpec({ ...base, tools: catalogTools, catalog: { operations: [op('a'), op('a')] } })).toThrow(/catalog\.operations\[1\]\.name.*duplicate/s);
    expect(() => parseSpec({ ...base, tools: catalogTools, catalog: { operations: [{ name: 'b', access: 'read' }] } })).toThrow(/catalog\.operations\[0\]\.http.*required/s);
    expect(() => parseSpec({ ...base, tools: catalogTools, catalog: { operations: [op('c', { access: 'write' })] } })).toThrow(/catalog\.operations\[0\]\.access/);
  });

  it('refuses catalog tools without a catalog, and a catalog without its tools', () => {
    expect(() => parseSpec({ ...base, tools: catalogTools })).toThrow(/catalogRole.*needs a catalog/s);
    expect(() => parseSpec({ ...base, tools: [catalogTools[0]], catalog: { operations: [op('a')] } })).toThrow(/catalogRole "describe"/);
  });

  it('renders the same files for the same spec, the operations one a line', async () => {
    const spec = parseSpec({ ...base, tools: catalogTools, catalog: { operations: [op('a'), op('b', { approval: 'none' })] } });
    const [one, two] = await Promise.all([renderProject(spec), renderProject(spec)]);
    const data = one.get('src/api-catalog/operations.ts')!.contents;
    expect(data).toBe(two.get('src/api-catalog/operations.ts')!.contents);
    expect(data.split('\n').filter((line) => line.startsWith('  "{'))).toHaveLength(2);
    expect(one.get('src/tools/search_operations.ts')).toBeDefined();
    expect(one.get('test/api-catalog.test.ts')).toBeDefined();
    expect([...one.entries()].map(([path]) => path).filter((path) => path.startsWith('test/tools/'))).toEqual([]);
  });
});

describe('call_operation access', () => {
  it('is read when every operation reads, write once one writes: a contract change the check classifies', async () => {
    const repo = await newRepo('reads-only');
    const reads = await mcpGenCli('import', 'openapi', await writeDoc(document(4)), '-C', repo, '--mode', 'catalog');
    expect(reads.code, reads.stderr).toBe(0);
    const call = async () => (JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8')).tools as Array<{ name: string; access: string; description: string }>).find((t) => t.name === 'call_operation')!;
    expect((await call()).access).toBe('read');
    expect((await call()).description).toContain('every operation only reads');
    expect(await readFile(join(repo, 'src/tools/call_operation.ts'), 'utf8')).toContain("access: 'read',");
    const lock = JSON.parse(await readFile(join(repo, 'contracts/tools.lock.json'), 'utf8'));
    expect(lock.tools.call_operation.access).toBe('read');

    // A write operation joins (create_thing4, a POST): call_operation writes now, and says approval may apply.
    const writes = await mcpGenCli('import', 'openapi', await writeDoc(document(5)), '-C', repo);
    expect(writes.code, writes.stderr).toBe(0);
    expect((await call()).access).toBe('write');
    expect((await call()).description).toContain('a write may need approval');
    expect(await readFile(join(repo, 'src/tools/call_operation.ts'), 'utf8')).toContain("access: 'write',");
    const now = toolsLock(currentSpec(await readRepoState(repo))) as ContractDoc;
    const findings = classifyChanges(lock as ContractDoc, now, { today: '2026-01-15' }).filter((f) => f.tool === 'call_operation');
    expect(findings.map((f) => f.message)).toContain('call_operation: access changed from read to write: a read-only client would now change data (breaking)');
  });
});

describe("an operation outside the tenant's rollout", () => {
  it('is unknown to describe_operation and call_operation alike, as search_operations leaves it out', async () => {
    const repo = await newRepo('rollout');
    const run = await mcpGenCli('import', 'openapi', await writeDoc(document(4)), '-C', repo, '--mode', 'catalog');
    expect(run.code, run.stderr).toBe(0);
    const file = (name: string) => readFile(join(repo, 'src/tools', `${name}.ts`), 'utf8');
    // Both answer with the one refusal; call_operation does not route to an operation its caller's tenant may not use.
    expect(await file('describe_operation')).toContain('if (!operation || !(ctx.enabled?.(operation.name) ?? true)) throw noSuchOperation();');
    const call = await file('call_operation');
    expect(call).toContain("if (typeof operation !== 'string' || !(caller?.enabled(operation) ?? true)) return undefined;");
    expect(call).toContain('throw noSuchOperation();');
    expect(await file('search_operations')).toContain('(ctx.enabled?.(operation.name) ?? true)');
    const catalog = await readFile(join(repo, 'src/api-catalog/operation-catalog.ts'), 'utf8');
    expect(catalog).toMatch(/export function noSuchOperation\(\): ToolError \{\n {2}return new ToolError\('not_found', /);
    // The pipeline gives route the caller's tenant rollout.
    expect(await readFile(join(repo, 'src/pipeline/call-tool.ts'), 'utf8')).toContain('tool.route?.(args, { enabled: (name) => tenant === undefined || this.deps.rollout.isEnabled(name, tenant) })');
    // The generated test proves it through a client: both refusals read exactly as an absent operation's.
    const test = await readFile(join(repo, 'test/api-catalog.test.ts'), 'utf8');
    expect(test).toContain('expect(textOf(refused)).toBe(textOf(absent));');
  });
});

describe('the catalog in the contract lock', () => {
  type Lock = { tools: Record<string, unknown>; operations?: Record<string, { access: string; approval: string; inputSchema: { properties?: Record<string, unknown>; required?: string[] }; output?: Record<string, unknown> }> };
  const readLock = async (repo: string) => JSON.parse(await readFile(join(repo, 'contracts/tools.lock.json'), 'utf8')) as Lock;

  it('locks every operation; a re-import adds the new ones and keeps a changed or removed one for the contract check to classify', async () => {
    const repo = await newRepo('locked');
    const first = await mcpGenCli('import', 'openapi', await writeDoc(document(8)), '-C', repo, '--mode', 'catalog');
    expect(first.code, first.stderr).toBe(0);
    const lock = await readLock(repo);
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(Object.keys(lock.operations!)).toEqual(spec.catalog.operations.map((op: { name: string }) => op.name).sort());
    expect(lock.operations!.get_thing0).toMatchObject({ access: 'read', approval: 'none', inputSchema: { type: 'object', required: ['thingId'] } });
    expect(lock.operations!.delete_thing6).toMatchObject({ access: 'write', approval: 'human' });
    expect(Object.keys(lock.operations!.delete_thing6!.inputSchema.properties!)).toEqual(['thingId', 'approvalId']);

    // The document changes: things1 is gone, things0 needs a region, things8 is new.
    const changed = document(9) as { paths: Record<string, { get?: { parameters: unknown[] } }> };
    delete changed.paths['/things1/{thingId}'];
    changed.paths['/things0/{thingId}']!.get!.parameters.push({ name: 'region', in: 'query', required: true, description: 'The region', schema: { type: 'string' } });
    const again = await mcpGenCli('import', 'openapi', await writeDoc(changed), '-C', repo);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Added 1 operation to the catalog: get_thing8.');
    expect(again.stdout).toContain('Removed 1 operation from the catalog: get_thing1 (their entries stay in contracts/tools.lock.json');
    const after = await readLock(repo);
    expect(after.operations!.get_thing8).toBeDefined();
    expect(after.operations!.get_thing1).toEqual(lock.operations!.get_thing1);
    expect(after.operations!.get_thing0).toEqual(lock.operations!.get_thing0);
    expect(after.tools).toEqual(lock.tools);

    // What the repo's contract check makes of the lock and the catalog now.
    const now = toolsLock(currentSpec(await readRepoState(repo))) as ContractDoc;
    const findings = classifyChanges(after as ContractDoc, now, { today: '2026-01-15' });
    expect(findings.map((f) => f.message)).toEqual([
      'get_thing0: description changed (patch)',
      'get_thing0: parameter "region" was added as a required parameter (breaking)',
      'get_thing1: operation was removed: clients calling it would get "not_found" (breaking)',
    ]);
    expect(checkVersions(after as ContractDoc, now, findings).map((v) => v.tool)).toEqual(['get_thing0', 'get_thing1']);
  });

  it("records the input schema the server checks: the generator's lock entries are what the repo's contract check computes", async () => {
    const repo = await newRepo('locked-same');
    const doc = document(8) as { paths: Record<string, { get?: { parameters: unknown[] } }> };
    doc.paths['/things0/{thingId}']!.get!.parameters.push(
      { name: 'state', in: 'query', description: 'Which state', schema: { type: 'string', enum: ['open', 'closed'], default: 'open' } },
      { name: 'since', in: 'query', description: 'Changed since', schema: { type: 'string', format: 'date-time' } },
      { name: 'per_page', in: 'query', description: 'Page size', schema: { type: 'integer' } },
    );
    // A documented JSON answer: the lock records its reduced schema as the operation's output.
    (doc.paths['/things0/{thingId}']!.get as Record<string, unknown>).responses = {
      '200': { description: 'The thing', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, label: { type: 'string', description: 'Its label' } } } } } },
    };
    expect((await mcpGenCli('import', 'openapi', await writeDoc(doc), '-C', repo, '--mode', 'catalog')).code).toBe(0);
    const spec = currentSpec(await readRepoState(repo));
    // The repo's own modules, as its contract check loads them (not type-checked here: they import the rest of the repo).
    const load = (path: string) => import(`../../templates/${path}`);
    const { currentContract } = (await load('base/scripts/contract/contract-doc.js')) as { currentContract: (catalog: unknown) => ContractDoc };
    const { inputSchemaOf: catalogInputSchema } = (await load('catalog/src/api-catalog/input-schema.js')) as { inputSchemaOf: (params: unknown) => z.ZodObject };
    // The server's side: call_operation routes to one tool per operation, its input schema built from the data as the server builds it.
    const operations = spec.catalog!.operations.map((op) => ({
      name: op.name, version: op.version, title: op.title, description: op.description, access: op.access, approval: op.approval, scopes: op.scopes,
      inputSchema: catalogInputSchema(callParams(op)),
      outputSchema: z.object({}),
      handler: () => ({}),
      // As call_operation's routes() gives it: the answer's schema from operations.ts (http.output).
      answer: op.http?.output,
    }));
    const call = { ...operations[0]!, name: 'call_operation', approval: undefined, routes: () => operations };
    const served = currentContract({ tools: [call], resources: [], prompts: [] });
    const locked = (await readLock(repo)).operations!;
    expect(served.operations).toEqual(locked);
    expect(locked.get_thing0!.output).toMatchObject({ type: 'object', required: ['id'], properties: { id: { type: 'integer' }, label: { type: 'string' } } });
    expect(Object.values(locked).filter((entry) => entry.output !== undefined)).toHaveLength(1);
  });

  it("checks a recorded consumer call of call_operation against the operation it names", async () => {
    const { checkConsumers } = (await import(`../../templates/${'base/scripts/contract/consumers.js'}`)) as {
      checkConsumers: (tools: unknown[], url: URL) => Array<{ tool: string; message: string }>;
    };
    const getThing = { name: 'get_thing', inputSchema: z.strictObject({ thingId: z.string(), region: z.string() }) };
    const call = {
      name: 'call_operation',
      inputSchema: z.strictObject({ operation: z.string(), arguments: z.record(z.string(), z.unknown()).optional() }),
      route: (args: { operation?: string; arguments?: unknown }) => (args.operation === 'get_thing' ? { tool: getThing, args: args.arguments ?? {} } : undefined),
      routes: () => [getThing],
    };
    const dir = join(root.path, 'consumers');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'bot.json'),
      JSON.stringify({
        consumer: 'bot',
        calls: [
          { tool: 'call_operation', arguments: { operation: 'get_thing', arguments: { thingId: 't1', region: 'eu' } } },
          { tool: 'call_operation', arguments: { operation: 'get_thing', arguments: { thingId: 't1' } } },
          { tool: 'call_operation', arguments: { operation: 'delete_thing', arguments: { thingId: 't1' } } },
        ],
      }),
    );
    const breaks = checkConsumers([call], pathToFileURL(`${dir}/`));
    expect(breaks.map((b) => `${b.tool}: ${b.message}`)).toEqual([
      expect.stringMatching(/^get_thing: calls\[1\] \(through call_operation\) is no longer accepted: region: /),
      'call_operation: calls[2]: the operation it names no longer exists',
    ]);
  });
});
