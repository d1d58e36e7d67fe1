/**
 * Which imported writes the http backend retries: PUT and DELETE (idempotent by HTTP's
 * definition) say SAFE_TO_RETRY = true in their tool file, POST and PATCH false; the user's edit
 * of it survives a re-import (the three-way merge); a catalog's generated test exercises a PUT or
 * DELETE and a POST or PATCH. What the backend does with it is tested in the generated repos
 * (templates/operation/test, templates/catalog/test, against a stand-in that fails first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

let root: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  root = await tempDir('cms-openapi-retries-');
});
afterAll(() => root.remove());

const ok = { '200': { description: 'ok' } };
const thing = { type: 'object', properties: { label: { type: 'string', description: 'Its label' } } };
const idParam = { name: 'id', in: 'path', required: true, description: 'The thing', schema: { type: 'string' } };

function thingsDocument(extraPutParam = false): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'Things', version: '1.0.0' },
    paths: {
      '/things': {
        post: { operationId: 'createThing', summary: 'Create a thing', requestBody: { content: { 'application/json': { schema: thing } } }, responses: ok },
      },
      '/things/{id}': {
        parameters: [idParam],
        put: {
          operationId: 'replaceThing',
          summary: 'Replace a thing',
          parameters: extraPutParam ? [{ name: 'dryRun', in: 'query', description: 'Only check it', schema: { type: 'boolean' } }] : [],
          requestBody: { content: { 'application/json': { schema: thing } } },
          responses: ok,
        },
        patch: { operationId: 'updateThing', summary: 'Update a thing', requestBody: { content: { 'application/json': { schema: thing } } }, responses: ok },
        delete: { operationId: 'deleteThing', summary: 'Delete a thing', responses: ok },
      },
    },
  };
}

const safeToRetry = (text: string) => /^export const SAFE_TO_RETRY = (true|false);$/m.exec(text)?.[1];

describe('imported writes and retries', () => {
  let repo: string;
  let doc: string;
  beforeAll(async () => {
    repo = join(root.path, 'repo');
    doc = join(root.path, 'things.json');
    await writeFile(doc, JSON.stringify(thingsDocument()));
    expect((await createCli(repo, '--yes', '--no-install', '--no-git', '--openapi', doc)).code).toBe(0);
  });
  const tool = (name: string) => readFile(join(repo, 'src/tools', `${name}.ts`), 'utf8');

  it('declares PUT and DELETE safe to retry, saying why and how to turn it off; POST and PATCH not', async () => {
    for (const name of ['replace_thing', 'delete_thing']) {
      const text = await tool(name);
      expect(safeToRetry(text), name).toBe('true');
      expect(text).toContain('idempotent by HTTP\'s definition (RFC 9110 §9.2.2)');
      expect(text.replace(/\s*\n \* /g, ' ')).toMatch(/Set it to false if this API's (PUT|DELETE) is not/);
      expect(text).toContain('idempotent: SAFE_TO_RETRY');
    }
    for (const name of ['create_thing', 'update_thing']) {
      const text = await tool(name);
      expect(safeToRetry(text), name).toBe('false');
      expect(text).toContain('`[outcome_unknown]`');
    }
    // Only a DELETE's answer can say the resource was already gone.
    expect(await tool('delete_thing')).toContain('...alreadyGoneField');
    expect(await tool('replace_thing')).not.toContain('alreadyGone');
    // Its test exercises whichever SAFE_TO_RETRY says, against a stand-in that fails first.
    const test = await readFile(join(repo, 'test/tools/delete_thing.test.ts'), 'utf8');
    expect(test).toContain("import tool, { operation, SAFE_TO_RETRY } from '../../src/tools/delete_thing.js';");
    expect(test).toContain("api.failNext(503, 'drop');");
  });

  it("keeps the user's SAFE_TO_RETRY through a re-import that changes the tool", async () => {
    const file = join(repo, 'src/tools/replace_thing.ts');
    await writeFile(file, (await readFile(file, 'utf8')).replace('export const SAFE_TO_RETRY = true;', 'export const SAFE_TO_RETRY = false;'));
    await writeFile(doc, JSON.stringify(thingsDocument(true)));
    const again = await mcpGenCli('import', 'openapi', '-C', repo);
    expect(again.code, again.stderr).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('dryRun: z.boolean().optional()');
    expect(safeToRetry(text)).toBe('false');
    expect(text).not.toContain('<<<<<<<');
    expect(safeToRetry(await tool('delete_thing'))).toBe('true');
  });

  it("has a catalog's generated test call a PUT or DELETE and a POST or PATCH, each without approval", async () => {
    const catalogRepo = join(root.path, 'catalog');
    await writeFile(doc, JSON.stringify(thingsDocument()));
    expect((await createCli(catalogRepo, '--yes', '--no-install', '--no-git', '--openapi', doc, '--openapi-mode', 'catalog')).code).toBe(0);
    const test = await readFile(join(catalogRepo, 'test/api-catalog.test.ts'), 'utf8');
    expect(test).toContain('const retriedOp = operation("replace_thing");');
    expect(test).toContain('const onceOp = operation("create_thing");');
  });
});
