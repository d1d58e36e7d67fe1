/**
 * An imported tool's typed answer is parsed once per call: callOperation checks the API's answer
 * against the operation's `answer`, and the pipeline's output check (run-handler.ts, through
 * validated-output.ts's checkOutput) takes that `data` as proven instead of parsing it again.
 * Whatever changed the result since (the handler, callOperation's own shortening, the response
 * budget's cut) is checked as before. Parses are counted on the `answer` schema itself, which
 * both checks run (callOperation's directly, the outputSchema's as its `data` field).
 *
 * The code under test is a generated repo's own (rendered with --no-install), loaded here with
 * this project's zod and MCP SDK linked into it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { BASE_ARCHIVE, decodeBaseArchive, encodeBaseArchive } from '../../src/upgrade/base-archive.js';

const pet = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
};
const document = {
  openapi: '3.0.3',
  info: { title: 'Pets', version: '1.0.0' },
  paths: {
    '/pets': {
      get: { operationId: 'listPets', summary: 'List pets', responses: { '200': { description: 'The pets', content: { 'application/json': { schema: { type: 'array', items: pet } } } } } },
    },
  },
};

type Json = Record<string, unknown>;
interface Tool {
  name: string;
  outputSchema: z.ZodObject;
  maxResponseTokens?: number;
  handler: (input: Json, ctx: unknown) => Promise<unknown>;
}
interface Outcome {
  outcome: string;
  errorCode: string | null;
  result: { content: Array<{ type: string; text: string }>; structuredContent?: Json; isError?: boolean };
}

let root: { path: string; remove: () => Promise<void> };
let listPets: Tool;
let operation: { answer: z.ZodType };
let callOperation: (api: unknown, operation: unknown, input: Json) => Promise<Json>;
let runHandler: (call: unknown, ctx: unknown) => Promise<Outcome>;
let isOutputChecked: (value: unknown) => boolean;
let ResponseBudget: new (max: number) => { fit: (tool: Tool, input: Json, outcome: Outcome) => Outcome & { truncated?: boolean } };
let parses = 0;

beforeAll(async () => {
  root = await tempDir('cms-answer-once-');
  const repo = join(root.path, 'repo');
  const doc = join(root.path, 'pets.json');
  await writeFile(doc, JSON.stringify(document));
  const created = await createCli(repo, '--yes', '--no-install', '--no-git', '--openapi', doc);
  expect(created.code, created.stdout + created.stderr).toBe(0);
  const own = fileURLToPath(new URL('../../node_modules/', import.meta.url));
  await mkdir(join(repo, 'node_modules'), { recursive: true });
  for (const name of ['zod', '@modelcontextprotocol']) await symlink(join(own, name), join(repo, 'node_modules', name));
  // The http backend's transport and resilience libraries, which these tests never reach (the
  // backend is a stand-in): names only, so its module loads.
  await stub(join(repo, 'node_modules/cockatiel'), ['BrokenCircuitError', 'CircuitState', 'ConsecutiveBreaker', 'ExponentialBackoff', 'TaskCancelledError', 'TimeoutStrategy', 'circuitBreaker', 'handleWhen', 'retry', 'timeout', 'wrap']);
  await stub(join(repo, 'node_modules/undici'), ['Agent', 'request']);
  const load = (file: string) => import(pathToFileURL(join(repo, 'src', file)).href);
  const tool = await load('tools/list_pets.ts');
  listPets = tool.default;
  operation = tool.operation;
  ({ callOperation } = await load('backends/http/operation.ts'));
  ({ runHandler } = await load('pipeline/run-handler.ts'));
  ({ isOutputChecked } = await load('pipeline/validated-output.ts'));
  ({ ResponseBudget } = await load('pipeline/response-budget.ts'));
  // Every parse of the answer's schema, callOperation's own or as the outputSchema's `data`.
  const internals = operation.answer._zod as { run: (...args: unknown[]) => unknown };
  const run = internals.run;
  internals.run = (...args) => {
    parses += 1;
    return run.apply(internals, args);
  };
});
afterAll(() => root?.remove());

async function stub(dir: string, names: string[]) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: dir, type: 'module', main: 'index.js' }));
  await writeFile(join(dir, 'index.js'), names.map((name) => `export class ${name} {}\n`).join(''));
}

/** The http backend, answering `body` with `status`. */
function api(body: unknown, status = 200) {
  return { get: vi.fn(async () => ({ status, body, attempts: 1 })) };
}

function context(body: unknown) {
  return { backends: { http: api(body) }, log: { error: vi.fn(), warn: vi.fn() }, requestId: 'req-1' };
}

async function call(tool: Tool, body: unknown) {
  const ctx = context(body);
  parses = 0;
  const outcome = await runHandler({ kind: 'tool', target: tool, input: {} }, ctx);
  return { outcome, ctx, parses };
}

const pets = (count: number) => Array.from({ length: count }, (_, index) => ({ id: index, name: `pet ${index}`, tags: ['a'] }));

/** The imported tool with another handler, as a user's edit of its file would make it. */
const withHandler = (handler: (result: Json) => unknown): Tool => ({
  ...listPets,
  handler: async (input, ctx) => handler(await callOperation((ctx as { backends: { http: unknown } }).backends.http, operation, input)),
});

describe('an imported typed answer', () => {
  it('the parse counter sees the outputSchema parsing data', () => {
    parses = 0;
    expect(listPets.outputSchema.safeParse({ status: 200, data: pets(2) }).success).toBe(true);
    expect(parses).toBe(1);
  });

  it('is parsed once when the handler returns what callOperation built: the same result as a full check gives', async () => {
    const { outcome, parses } = await call(listPets, pets(3));
    expect(parses).toBe(1);
    expect(outcome.outcome).toBe('ok');
    const structured = outcome.result.structuredContent!;
    expect(structured).toEqual(listPets.outputSchema.parse({ status: 200, data: pets(3) }));
    expect(Object.keys(structured)).toEqual(['status', 'data']);
    expect(outcome.result.content[0]!.text).toBe(JSON.stringify({ status: 200, data: pets(3) }));
    // The SDK's re-check is skipped as for any result the pipeline checked.
    expect(isOutputChecked(structured)).toBe(true);
  });

  it('is still `[upstream_contract]` with its path when off its schema, parsed by callOperation only', async () => {
    const broken = [...pets(2), { id: 2, name: 42 }];
    const { outcome, ctx, parses } = await call(listPets, broken);
    expect(parses).toBe(1);
    expect(outcome.result.isError).toBe(true);
    expect(outcome.errorCode).toBe('upstream_contract');
    expect(outcome.result.content[0]!.text).toContain('at data[2].name: expected string, got number');
    expect(ctx.log.warn).toHaveBeenCalledWith(expect.objectContaining({ code: 'upstream_contract', operation: 'GET /pets' }), expect.any(String));
  });

  it('is checked again when callOperation shortened it (a list over 50 items)', async () => {
    const { outcome, parses } = await call(listPets, pets(60));
    expect(parses).toBe(2);
    expect(outcome.outcome).toBe('ok');
    expect(outcome.result.structuredContent).toMatchObject({ status: 200, omitted: [{ path: '(answer)', total: 60, kept: 50 }] });
  });

  it('is checked again when the handler built a new result from it, and a bad change fails as before', async () => {
    const renamed = withHandler((result) => ({ ...result, data: (result.data as Json[]).map((each) => ({ ...each, name: 'x' })) }));
    const good = await call(renamed, pets(2));
    expect(good.parses).toBe(2);
    expect(good.outcome.outcome).toBe('ok');
    expect((good.outcome.result.structuredContent!.data as Json[])[1]).toEqual({ id: 1, name: 'x', tags: ['a'] });

    const broken = withHandler((result) => ({ ...result, data: [{ id: 'one', name: 'x' }] }));
    const bad = await call(broken, pets(2));
    expect(bad.parses).toBe(2);
    expect(bad.outcome.errorCode).toBe('invalid_output');
    expect(bad.outcome.result.content[0]!.text).toBe('[invalid_output] list_pets produced an invalid result. Reference: req-1.');
    expect(bad.ctx.log.error).toHaveBeenCalledWith(expect.objectContaining({ issues: expect.any(Array) }), 'tool output does not match its outputSchema');
  });

  it('is checked again when the handler replaced data on the same result, or changed another field', async () => {
    const replaced = withHandler((result) => Object.assign(result, { data: [{ id: 'one', name: 'x' }] }));
    const bad = await call(replaced, pets(2));
    expect(bad.outcome.errorCode).toBe('invalid_output');

    const status = withHandler((result) => Object.assign(result, { status: 200.5 }));
    const badStatus = await call(status, pets(2));
    expect(badStatus.parses).toBe(1);
    expect(badStatus.outcome.errorCode).toBe('invalid_output');
  });

  it('is checked in full when the outputSchema gives data another schema than the one callOperation checked', async () => {
    const stricter: Tool = { ...listPets, outputSchema: listPets.outputSchema.extend({ data: (operation.answer as z.ZodArray).max(1).optional() }) };
    // Two pets pass `answer` (callOperation's check) but not `.max(1)`: only a full check finds it.
    const { outcome } = await call(stricter, pets(2));
    expect(outcome.errorCode).toBe('invalid_output');
  });

  it('cut by the response budget is checked and valid', async () => {
    const { outcome } = await call(listPets, pets(40));
    const small = { ...listPets, maxResponseTokens: 200 };
    parses = 0;
    const fitted = new ResponseBudget(25_000).fit(small, {}, outcome);
    expect(fitted.truncated).toBe(true);
    expect(fitted.outcome).toBe('ok');
    expect(parses).toBeGreaterThan(0);
    const structured = fitted.result.structuredContent!;
    expect(structured['truncated']).toBe(true);
    expect((structured['data'] as unknown[]).length).toBeLessThan(40);
    expect(listPets.outputSchema.safeParse(structured).success).toBe(true);
    expect(isOutputChecked(structured)).toBe(true);
  });
});

/**
 * The tool file's binding is written by the template, field by field, with `answer` after the
 * fields of a typed one. Before, the context wrote it as one JSON text and spliced `answer` into
 * it: a typed tool's file is the same, an untyped one's last field now ends with a comma like
 * every other. An upgrade carries that in as any template change (no migration: nothing a
 * re-render cannot express), keeping the user's edits of the file.
 */
describe("an imported tool's binding", () => {
  const untyped = { '/pets/{id}': { delete: { operationId: 'deletePet', summary: 'Delete a pet', parameters: [{ name: 'id', in: 'path', required: true, description: 'The pet', schema: { type: 'string' } }], responses: { '204': { description: 'Gone' } } } } };
  const BEFORE = '  "fixed": []\n};';
  const NOW = '  "fixed": [],\n};';
  let repo: string;
  const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
  const read = (path: string) => readFile(join(repo, path), 'utf8');

  beforeAll(async () => {
    repo = join(root.path, 'upgraded');
    const doc = join(root.path, 'pets-and-delete.json');
    await writeFile(doc, JSON.stringify({ ...document, paths: { ...document.paths, ...untyped } }));
    const created = await createCli(repo, '--yes', '--no-install', '--openapi', doc);
    expect(created.code, created.stdout + created.stderr).toBe(0);
  });

  it('is the operation object with `answer` after its fields when typed, ending with a comma when not', async () => {
    const typed = await read('src/tools/list_pets.ts');
    expect(typed).toContain(
      'export const operation: Operation<z.output<typeof answer>> = {\n  "method": "GET",\n  "path": "/pets",\n  "params": {},\n  "fixed": [],\n  answer,\n};',
    );
    const plain = await read('src/tools/delete_pet.ts');
    expect(plain).toContain('export const operation: Operation = {\n  "method": "DELETE",\n  "path": "/pets/{id}",\n  "params": {\n    "id": {\n      "in": "path",\n      "name": "id"\n    }\n  },\n' + NOW);
  });

  it('in a repo the earlier render wrote, upgrades cleanly: the new binding merged with the user\'s edit of the file', async () => {
    const file = 'src/tools/delete_pet.ts';
    // The repo as the earlier render wrote it: the file, its merge base and its manifest entry.
    const before = (await read(file)).replace(NOW, BEFORE);
    expect(before).toContain(BEFORE);
    await writeFile(join(repo, file), before);
    const archive = join(repo, BASE_ARCHIVE);
    const bases = decodeBaseArchive(await readFile(archive));
    bases.set(file, before);
    await writeFile(archive, await encodeBaseArchive(bases));
    const manifest = JSON.parse(await read('.mcp-gen/manifest.json'));
    manifest.files[file].sha256 = createHash('sha256').update(before).digest('hex');
    await writeFile(join(repo, '.mcp-gen/manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await git('add', '-A');
    await git('commit', '-qm', 'as the earlier render wrote it');
    // The user's edits: a write their API does not take twice, and a note by the path.
    await writeFile(
      join(repo, file),
      before
        .replace('export const SAFE_TO_RETRY = true;', 'export const SAFE_TO_RETRY = false; // our API counts deletes')
        .replace('  "path": "/pets/{id}",', '  "path": "/pets/{id}", // through our gateway'),
    );
    await git('commit', '-qam', 'our edits');

    const check = await mcpGenCli('upgrade', '--check', '-C', repo);
    expect(check.code, check.stdout + check.stderr).toBe(2);
    expect(check.stdout).toMatch(/merge +src\/tools\/delete_pet\.ts/);
    expect(check.stdout).not.toContain('list_pets');
    const run = await mcpGenCli('upgrade', '-C', repo);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const merged = await read(file);
    expect(merged).toContain(NOW);
    expect(merged).toContain('export const SAFE_TO_RETRY = false; // our API counts deletes');
    expect(merged).toContain('  "path": "/pets/{id}", // through our gateway');
    expect(merged).not.toMatch(/^(<<<<<<<|>>>>>>>)/m);
    await expect(readFile(join(repo, `${file}.orig`))).rejects.toThrow();
    await git('commit', '-qam', 'upgraded');
    const again = await mcpGenCli('upgrade', '--check', '-C', repo);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('Up to date');
  });
});
