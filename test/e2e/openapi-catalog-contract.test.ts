/**
 * A governed catalog through the real CLIs: `create-mcp-server --openapi --openapi-mode catalog`
 * writes and installs the repo, whose contract check holds for the three tools and every
 * operation, and whose catalog test passes; the document then changes (an operation removed, one
 * needing a new required parameter, one new) and `mcp-gen import openapi` imports it again:
 * `mcp-gen contract` classifies each operation's change and asks for the version bumps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/temp-dir.js';
import { generate, npmRun, SLOW } from './generated-repo.js';

const mcpGen = fileURLToPath(new URL('../../bin/mcp-gen.js', import.meta.url));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A documented JSON answer of these fields (id required). */
function typedAnswer(properties: Json): Json {
  return { description: 'The thing', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties } } } };
}

/** Eight operations (get_thing2 and get_thing3 with a typed answer): GETs, a POST (create_thing4) and a DELETE (delete_thing6, approval human). */
function document(): Json {
  const paths: Json = {};
  for (let i = 0; i < 8; i++) {
    const method = i === 6 ? 'delete' : i === 4 ? 'post' : 'get';
    const verb = method === 'get' ? 'Get' : method === 'post' ? 'Create' : 'Delete';
    paths[`/things${i}/{thingId}`] = {
      [method]: {
        operationId: `${verb.toLowerCase()}Thing${i}`,
        tags: ['things'],
        summary: `${verb} thing number ${i}`,
        parameters: [{ name: 'thingId', in: 'path', required: true, description: 'The thing', schema: { type: 'string' } }],
        ...(method === 'post' ? { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { label: { type: 'string', description: 'Its label' } } } } } } } : {}),
        responses: { '200': i === 2 || i === 3 ? typedAnswer({ id: { type: 'integer' }, name: { type: 'string', description: 'Its name' } }) : { description: 'The thing' } },
      },
    };
  }
  return { openapi: '3.0.3', info: { title: 'Things', version: '1' }, servers: [{ url: 'https://things.example.com' }], paths };
}

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let docPath: string;

beforeAll(async () => {
  root = await tempDir('cms-e2e-catalog-');
  dir = join(root.path, 'things');
  docPath = join(root.path, 'things.json');
  await writeFile(docPath, JSON.stringify(document(), null, 2));
  await generate(dir, '--openapi', docPath, '--openapi-mode', 'catalog');
}, SLOW);

afterAll(() => root?.remove());

const run = (...args: string[]) => execa('node', [mcpGen, ...args, '-C', dir], { reject: false, all: true });

describe('a governed catalog, imported again', () => {
  it('holds its contract for the three tools and every operation, and passes its catalog test', async () => {
    const lock = JSON.parse(await readFile(join(dir, 'contracts/tools.lock.json'), 'utf8'));
    expect(Object.keys(lock.operations)).toHaveLength(8);
    expect(lock.operations.delete_thing6).toMatchObject({ access: 'write', approval: 'human' });
    const contract = await run('contract');
    expect(contract.exitCode, contract.all).toBe(0);
    expect(contract.all).toContain('The contract holds for 3 tools, 8 operations.');
    await npmRun(dir, 'test', ['test/api-catalog.test.ts', 'test/contract.test.ts']);
  }, SLOW);

  it("classifies each operation's change on re-import, and asks for the version bumps", async () => {
    const changed = document();
    delete changed.paths['/things1/{thingId}'];
    changed.paths['/things0/{thingId}'].get.parameters.push({ name: 'region', in: 'query', required: true, description: 'The region', schema: { type: 'string' } });
    // The answers: get_thing2's loses a field, get_thing3's gains an optional one, get_thing5's is typed at last.
    changed.paths['/things2/{thingId}'].get.responses = { '200': typedAnswer({ id: { type: 'integer' } }) };
    changed.paths['/things3/{thingId}'].get.responses = { '200': typedAnswer({ id: { type: 'integer' }, name: { type: 'string', description: 'Its name' }, size: { type: 'integer' } }) };
    changed.paths['/things5/{thingId}'].get.responses = { '200': typedAnswer({ id: { type: 'integer' } }) };
    changed.paths['/things8/{thingId}'] = { get: { operationId: 'getThing8', tags: ['things'], summary: 'Get thing number 8', parameters: [{ name: 'thingId', in: 'path', required: true, description: 'The thing', schema: { type: 'string' } }], responses: { '200': { description: 'The thing' } } } };
    await writeFile(docPath, JSON.stringify(changed, null, 2));

    const reimport = await run('import', 'openapi');
    expect(reimport.exitCode, reimport.all).toBe(0);
    expect(reimport.all).toContain('Added 1 operation to the catalog: get_thing8.');
    expect(reimport.all).toContain('Removed 1 operation from the catalog: get_thing1');

    const contract = await run('contract');
    expect(contract.exitCode).toBe(1);
    expect(contract.all).toContain('breaking  get_thing0: parameter "region" was added as a required parameter (breaking)');
    expect(contract.all).toContain('breaking  get_thing1: operation was removed: clients calling it would get "not_found" (breaking)');
    expect(contract.all).toMatch(/breaking {2}get_thing2: .*"name".* \(breaking\)/);
    expect(contract.all).toMatch(/minor {5}get_thing3: .*"size".* \(minor\)/);
    expect(contract.all).toContain('minor     get_thing5: output schema was added (minor)');
    expect(contract.all).toContain('VERSION   get_thing2: breaking changes');
    expect(contract.all).toContain('VERSION   get_thing0: breaking changes');
    expect(contract.all).toContain('VERSION   get_thing1: operation was removed, which is a breaking change for the server as a whole');
    expect(contract.all).not.toMatch(/get_thing8/);

    // The operation's version bumped in mcp-gen.json (a re-import keeps it): the lock can be recorded.
    const spec = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    spec.catalog.operations.find((op: { name: string }) => op.name === 'get_thing0').version = '2.0.0';
    await writeFile(join(dir, 'mcp-gen.json'), `${JSON.stringify(spec, null, 2)}\n`);
    expect((await run('import', 'openapi')).exitCode).toBe(0);
    const bumped = await run('contract');
    expect(bumped.all).not.toContain('VERSION   get_thing0');
    expect(bumped.all).toContain('VERSION   get_thing1');
    expect(bumped.all).toContain('VERSION   get_thing2');
  }, SLOW);
});
