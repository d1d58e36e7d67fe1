/**
 * 0.5.0-catalog-lock-operations: a catalog repo whose contract lock predates its `operations`
 * section (written by a development build of 0.5.0 before the section existed, or said to be
 * older) gets the section from its current catalog through `mcp-gen upgrade`: shown by --check
 * and --dry-run, reported in the summary, every existing entry kept, and only once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { toolsLock, type ToolsLock } from '../../src/contract/tools-lock.js';
import { currentSpec } from '../../src/commands/respec.js';
import { readRepoState } from '../../src/upgrade/repo-state.js';
import { GENERATOR_VERSION } from '../../src/version.js';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { readTree, tempDir } from '../support/temp-dir.js';

const ID = '0.5.0-catalog-lock-operations';
const LOCK = 'contracts/tools.lock.json';

let root: { path: string; remove: () => Promise<void> };
let doc: string;
beforeAll(async () => {
  root = await tempDir('cms-catalog-lock-');
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < 3; i++) {
    paths[`/things${i}/{thingId}`] = {
      [i === 2 ? 'delete' : 'get']: {
        operationId: `${i === 2 ? 'delete' : 'get'}Thing${i}`,
        summary: `${i === 2 ? 'Delete' : 'Get'} thing number ${i}`,
        parameters: [{ name: 'thingId', in: 'path', required: true, description: 'The thing', schema: { type: 'string' } }],
        // The first answers typed JSON: its lock entry records the answer's schema.
        responses: {
          '200': i === 0
            ? { description: 'The thing', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } } }
            : { description: 'The thing' },
        },
      },
    };
  }
  doc = join(root.path, 'things.json');
  await writeFile(doc, JSON.stringify({ openapi: '3.0.3', info: { title: 'Things', version: '1' }, paths }));
});
afterAll(() => root.remove());

let n = 0;
const git = (repo: string, ...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
async function commitAll(repo: string, message: string) {
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', message);
}
const readLock = async (repo: string) => JSON.parse(await readFile(join(repo, LOCK), 'utf8')) as ToolsLock;

/**
 * A committed repo of the catalog, `mode` catalog or tools; `earlier`: its lock as a build before
 * the section wrote it, or (`answers: false`) before its entries recorded answers.
 */
async function repoOf(mode: 'catalog' | 'tools', earlier: { version?: string; answers?: false } | false): Promise<string> {
  const repo = join(root.path, `repo-${++n}`);
  const created = await createCli(repo, '--yes', '--no-install', '--no-git', '--openapi', doc, '--openapi-mode', mode);
  expect(created.code, created.stderr).toBe(0);
  if (earlier && earlier.answers === false) {
    const lock = await readLock(repo);
    expect(lock.operations!.get_thing0!.output).toBeDefined();
    for (const entry of Object.values(lock.operations!)) delete entry.output;
    // A user's own edit of an entry, which the migration must keep.
    lock.operations!.get_thing0!.description = 'Our own words.';
    await writeFile(join(repo, LOCK), `${JSON.stringify(lock, null, 2)}\n`);
  } else if (earlier) {
    const { operations, ...lock } = await readLock(repo);
    if (mode === 'catalog') expect(Object.keys(operations ?? {})).toHaveLength(3);
    // A user's own edit of an entry, which the migration must keep.
    lock.tools['call_operation' in lock.tools ? 'call_operation' : Object.keys(lock.tools)[0]!]!.description = 'Our own words.';
    await writeFile(join(repo, LOCK), `${JSON.stringify(lock, null, 2)}\n`);
    if (earlier.version) {
      const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
      spec.generator.version = earlier.version;
      await writeFile(join(repo, 'mcp-gen.json'), `${JSON.stringify(spec, null, 2)}\n`);
    }
  }
  await git(repo, 'init', '-q');
  await commitAll(repo, 'as generated');
  return repo;
}

describe.each([
  ['a development build of this version', {}],
  ['0.4.0', { version: '0.4.0' }],
] as const)('a catalog repo whose lock lacks operations, from %s', (_label, earlier) => {
  it('--check and --dry-run show the migration and the lock it changes, and write nothing', async () => {
    const repo = await repoOf('catalog', earlier);
    const before = await readTree(repo);
    const check = await mcpGenCli('upgrade', '-C', repo, '--check');
    expect(check.code).toBe(2);
    expect(check.stdout).toContain(`migration ${ID}: record the catalog's operations in ${LOCK}`);
    expect(check.stdout).toContain(LOCK);
    const json = JSON.parse((await mcpGenCli('upgrade', '-C', repo, '--check', '--json')).stdout);
    expect(json.migrations.map((m: { id: string }) => m.id)).toContain(ID);
    const dry = await mcpGenCli('upgrade', '-C', repo, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`migration ${ID}`);
    expect(dry.stdout).toMatch(/\+ {2}"operations": \{/);
    expect(await readTree(repo)).toEqual(before);
  });

  it('adds the section from the current catalog, keeps every other entry, says so, and runs once', async () => {
    const repo = await repoOf('catalog', earlier);
    const before = await readLock(repo);
    const run = await mcpGenCli('upgrade', '-C', repo);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`migration ${ID}: record the catalog's operations`);
    const after = await readLock(repo);
    expect(after.tools).toEqual(before.tools);
    expect(after.tools.call_operation!.description).toBe('Our own words.');
    // What the generator writes for an import, and what the repo's contract check computes (test/unit/openapi-catalog.test.ts).
    expect(after.operations).toEqual(toolsLock(currentSpec(await readRepoState(repo))).operations);
    expect(Object.keys(after.operations!).sort()).toEqual(['delete_thing2', 'get_thing0', 'get_thing1']);
    expect(after.operations!.delete_thing2).toMatchObject({ version: '1.0.0', access: 'write', approval: 'human' });
    expect(after.operations!.get_thing0!.output).toMatchObject({ properties: { id: { type: 'integer' } } });
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(spec.generator).toMatchObject({ version: GENERATOR_VERSION, migrations: expect.arrayContaining([ID]) });

    await commitAll(repo, 'upgraded');
    const settled = await readTree(repo);
    const again = await mcpGenCli('upgrade', '-C', repo);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Already up to date.');
    expect(again.stdout).not.toContain(ID);
    expect(await readTree(repo)).toEqual(settled);
  });
});

describe('a catalog repo whose lock has operations without their answers', () => {
  it("adds each typed operation's answer, keeps every other field, and runs once", async () => {
    const repo = await repoOf('catalog', { answers: false });
    const before = await readLock(repo);
    const check = await mcpGenCli('upgrade', '-C', repo, '--check');
    expect(check.code).toBe(2);
    expect(check.stdout).toContain(`migration ${ID}`);
    const run = await mcpGenCli('upgrade', '-C', repo);
    expect(run.code, run.stderr).toBe(0);
    const after = await readLock(repo);
    const generated = toolsLock(currentSpec(await readRepoState(repo))).operations!;
    expect(after.operations!.get_thing0).toEqual({ ...before.operations!.get_thing0, output: generated.get_thing0!.output });
    expect(after.operations!.get_thing0!.output).toMatchObject({ type: 'object', required: ['id'], properties: { id: { type: 'integer' } } });
    expect(after.operations!.get_thing0!.description).toBe('Our own words.');
    // The untyped ones have no answer to record.
    expect(after.operations!.get_thing1).toEqual(before.operations!.get_thing1);
    expect(after.tools).toEqual(before.tools);

    await commitAll(repo, 'upgraded');
    const settled = await readTree(repo);
    const again = await mcpGenCli('upgrade', '-C', repo);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain(ID);
    expect(await readTree(repo)).toEqual(settled);
  });
});

describe('repos that need no migration', () => {
  it('leave a current catalog repo, and a repo of tools without the section, up to date', async () => {
    for (const repo of [await repoOf('catalog', false), await repoOf('tools', false)]) {
      const check = await mcpGenCli('upgrade', '-C', repo, '--check');
      expect(check, repo).toMatchObject({ code: 0, stdout: `Up to date with create-mcp-server ${GENERATOR_VERSION}. (The contract check did not run: no node_modules.)` });
    }
    // A repo of tools never had operations in its lock: nothing to add.
    const tools = await repoOf('tools', {});
    expect((await readLock(tools)).operations).toBeUndefined();
    expect((await mcpGenCli('upgrade', '-C', tools, '--check')).code).toBe(0);
  });
});
