/**
 * The per-path decisions of a repo update (the table in docs/architecture.md), on a real repo written from
 * fixture templates, edited as a user would, then re-rendered from changed templates.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, readFile, rm, writeFile, appendFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseSpec } from '../../src/spec/parse.js';
import { renderRepo } from '../../src/commands/render-repo.js';
import { writeChanges } from '../../src/apply/write-changes.js';
import type { ChangeList as UpdatePlan } from '../../src/apply/changes.js';
import { emptyRepo, readRepoState } from '../../src/upgrade/repo-state.js';
import { planUpdate } from '../../src/upgrade/plan-update.js';
import { mergeThreeWay, mergeTwoWay, MERGE_LABELS } from '../../src/upgrade/three-way.js';
import { tempDir } from '../support/temp-dir.js';

const fixtures = fileURLToPath(new URL('../fixtures/templates/', import.meta.url));
const spec = parseSpec({ name: 'upd', tools: [{ name: 'get_a' }, { name: 'create_b', access: 'write' }] });

let scratch: { path: string; remove: () => Promise<void> };
let templates: string;
let repo: string;

beforeEach(async () => {
  scratch = await tempDir('cms-update-');
  templates = join(scratch.path, 'templates');
  repo = join(scratch.path, 'repo');
  await cp(fixtures, templates, { recursive: true });
  const tree = await renderRepo(spec, { templatesDir: templates });
  await writeChanges(repo, (await planUpdate(tree, emptyRepo(repo), { overwrite: true })).changes);
});
afterEach(() => scratch.remove());

async function replan(next = spec): Promise<UpdatePlan> {
  const tree = await renderRepo(next, { templatesDir: templates });
  return planUpdate(tree, await readRepoState(repo));
}
const actionOf = (plan: UpdatePlan, path: string) => plan.changes.find((c) => c.path === path)?.action;
const template = (path: string) => join(templates, path);
const onDisk = (path: string) => join(repo, path);

describe('planning an update', () => {
  it('nothing changed anywhere: every path unchanged', async () => {
    const plan = await replan();
    expect(plan.changes.filter((c) => c.action !== 'unchanged')).toEqual([]);
  });

  it('an untouched merged file takes the new template', async () => {
    await appendFile(template('base/README.md.hbs'), '\nMore docs.\n');
    const plan = await replan();
    expect(actionOf(plan, 'README.md')).toBe('update');
  });

  it("an untouched merged file is known by the manifest's hash: its base is not read, and a lost archive does not matter", async () => {
    await appendFile(template('base/README.md.hbs'), '\nMore docs.\n');
    await rm(onDisk('.mcp-gen/base.json.gz'));
    const state = await readRepoState(repo);
    const basesRead: string[] = [];
    const readBase = state.readBase.bind(state);
    state.readBase = (path) => (basesRead.push(path), readBase(path));
    const plan = await planUpdate(await renderRepo(spec, { templatesDir: templates }), state);
    expect(actionOf(plan, 'README.md')).toBe('update');
    expect(plan.conflicts).toEqual([]);
    expect(basesRead).toEqual([]);
  });

  it('an edited merged file whose template did not change stays as it is', async () => {
    await appendFile(onDisk('README.md'), 'my notes\n');
    expect(actionOf(await replan(), 'README.md')).toBe('keep');
  });

  it('non-overlapping edits on both sides merge cleanly', async () => {
    await writeFile(template('base/README.md.hbs'), `${await readFile(template('base/README.md.hbs'), 'utf8')}\nFooter from the template.\n`);
    const mine = await readFile(onDisk('README.md'), 'utf8');
    await writeFile(onDisk('README.md'), `Intro I wrote.\n\n${mine}`);
    const plan = await replan();
    const change = plan.changes.find((c) => c.path === 'README.md')!;
    expect(change.action).toBe('merge');
    expect(change.contents).toContain('Intro I wrote.');
    expect(change.contents).toContain('Footer from the template.');
  });

  it('overlapping edits conflict, with markers holding both sides', async () => {
    await writeFile(template('base/README.md.hbs'), '# {{project.title}} (template)\n');
    await writeFile(onDisk('README.md'), '# Mine\n');
    const plan = await replan();
    const change = plan.changes.find((c) => c.path === 'README.md')!;
    expect(change.action).toBe('conflict');
    expect(plan.conflicts).toEqual(['README.md']);
    expect(change.contents).toContain(`<<<<<<< ${MERGE_LABELS.ours}`);
    expect(change.contents).toContain('# Mine');
    expect(change.contents).toContain('# upd (template)');
    expect(change.contents).toContain(`>>>>>>> ${MERGE_LABELS.theirs}`);
  });

  it('a merged file the user deleted stays deleted', async () => {
    await rm(onDisk('README.md'));
    await appendFile(template('base/README.md.hbs'), 'changed\n');
    expect(actionOf(await replan(), 'README.md')).toBe('keep');
  });

  it('a file the template dropped: deleted if untouched, kept as a conflict if edited', async () => {
    await rm(template('base/src/plain.ts'));
    await rm(template('backend/sample/sample.ts'));
    await appendFile(onDisk('src/plain.ts'), '// mine\n');
    const plan = await replan();
    expect(actionOf(plan, 'sample.ts')).toBe('delete');
    expect(actionOf(plan, 'src/plain.ts')).toBe('conflict');
  });

  it("a dropped merged file is known untouched by the manifest's hash: deleted though the archive is lost", async () => {
    await rm(template('base/src/plain.ts'));
    await rm(onDisk('.mcp-gen/base.json.gz'));
    expect(actionOf(await replan(), 'src/plain.ts')).toBe('delete');
    await appendFile(onDisk('src/plain.ts'), '// mine\n');
    expect(actionOf(await replan(), 'src/plain.ts')).toBe('conflict');
  });

  it('new in the template and already on disk: merged against an empty base', async () => {
    await mkdir(template('base/docs'), { recursive: true });
    await writeFile(template('base/docs/guide.md'), 'guide\n');
    await mkdir(onDisk('docs'));
    await writeFile(onDisk('docs/guide.md'), 'guide\n');
    expect(actionOf(await replan(), 'docs/guide.md')).toBe('unchanged');
    await writeFile(onDisk('docs/guide.md'), 'my own guide\n');
    expect(actionOf(await replan(), 'docs/guide.md')).toBe('conflict');
  });

  it('scaffold files are never touched once written; new ones are created', async () => {
    await writeFile(onDisk('src/tools/get_a.ts'), 'my implementation\n');
    const plan = await replan(parseSpec({ ...spec, tools: [...spec.tools, { name: 'list_c' }] }));
    expect(actionOf(plan, 'src/tools/get_a.ts')).toBe('keep');
    expect(actionOf(plan, 'src/tools/list_c.ts')).toBe('create');
    expect(actionOf(plan, 'src/registry.ts')).toBe('update');
  });

  it('a file generated as scaffold that the templates now merge: taken while untouched, a conflict once edited', async () => {
    // The tool files become merged (no scaffold rule), and their templates change.
    await writeFile(template('tool/layer.json'), '{}');
    await appendFile(template('tool/src/tools/__tool__.ts.hbs'), '// v2\n');
    await appendFile(onDisk('src/tools/create_b.ts'), '// mine\n');
    const plan = await replan();
    expect(actionOf(plan, 'src/tools/get_a.ts')).toBe('update');
    expect(actionOf(plan, 'src/tools/create_b.ts')).toBe('conflict');
  });

  it('a hand-edited managed file is regenerated and reported', async () => {
    await appendFile(onDisk('src/registry.ts'), '// hand edit\n');
    const plan = await replan();
    expect(actionOf(plan, 'src/registry.ts')).toBe('update');
    expect(plan.handEdited).toEqual(['src/registry.ts']);
    // The hand edit is not lost: the user's version goes beside it.
    const orig = plan.changes.find((c) => c.path === 'src/registry.ts.orig')!;
    expect(orig).toMatchObject({ action: 'create', contents: await readFile(onDisk('src/registry.ts'), 'utf8') });
  });
});

describe('merging without a base', () => {
  it('keeps the lines both sides hold out of the conflict blocks', () => {
    const ours = 'a\nb\nmine\nc\nd\nadded by me\n';
    const theirs = 'a\nb\ntemplate\nc\nd\n';
    const merged = mergeTwoWay(ours, theirs);
    expect(merged.conflict).toBe(true);
    expect(merged.text).toBe(
      `a\nb\n<<<<<<< ${MERGE_LABELS.ours}\nmine\n=======\ntemplate\n>>>>>>> ${MERGE_LABELS.theirs}\nc\nd\n<<<<<<< ${MERGE_LABELS.ours}\nadded by me\n=======\n>>>>>>> ${MERGE_LABELS.theirs}\n`,
    );
    expect(mergeTwoWay('x\r\ny\r\n', 'x\r\nz\r\n').text).toContain('x\r\n<<<<<<< ');
  });
});

describe('binary files', () => {
  it('a binary file changed on both sides is never merged: yours is kept and the conflict listed', async () => {
    await writeFile(template('base/src/plain.ts'), 'logo\u0000v2\n');
    await writeFile(onDisk('src/plain.ts'), 'logo\u0000mine\n');
    const plan = await replan();
    const change = plan.changes.find((c) => c.path === 'src/plain.ts')!;
    expect(change).toMatchObject({ action: 'conflict', reason: 'binary file changed on both sides; yours kept' });
    expect(change.contents).toBeUndefined();
  });
});

describe('three-way merge', () => {
  it('keeps CRLF line endings of the user file', () => {
    const result = mergeThreeWay('a\r\nmine\r\nc\r\n', 'a\nb\nc\n', 'a\nb\nc\nd\n');
    expect(result).toEqual({ text: 'a\r\nmine\r\nc\r\nd\r\n', conflict: false });
  });

  it('handles files without a final newline', () => {
    expect(mergeThreeWay('x\ny', 'x\ny', 'x\ny\nz')).toEqual({ text: 'x\ny\nz', conflict: false });
  });
});
