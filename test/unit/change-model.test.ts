/**
 * The one change model: a rename is a change of its own, written by the same transactional
 * sink as every other change, and planned by upgrade for a file a migration moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { changeList, type Change } from '../../src/apply/changes.js';
import { formatUpdate } from '../../src/apply/print-changes.js';
import { writeChanges } from '../../src/apply/write-changes.js';
import { planUpgrade } from '../../src/commands/upgrade.js';
import { readRepoState } from '../../src/upgrade/repo-state.js';
import { readTree, tempDir } from '../support/temp-dir.js';

let root: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  root = await tempDir('cms-changes-');
});
afterAll(() => root.remove());

async function repoWith(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root.path, name);
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), contents);
  }
  return dir;
}

const moveAndRewrite: Change[] = [
  { path: 'src/old.ts', class: 'scaffold', action: 'rename', to: 'src/new/old.ts', reason: 'moved by a migration' },
  { path: 'src/new/old.ts', class: 'scaffold', action: 'update', contents: 'rewritten\n', reason: 'changed by a migration' },
  { path: 'gone.txt', class: 'merged', action: 'delete' },
];

describe('the change model', () => {
  it('writes a rename, then the change at its new path, in one transaction', async () => {
    const dir = await repoWith('renamed', { 'src/old.ts': 'original\n', 'gone.txt': 'x\n', 'keep.txt': 'k\n' });
    await writeChanges(dir, changeList([...moveAndRewrite]).changes);
    expect(await readTree(dir)).toEqual({ 'src/new/old.ts': 'rewritten\n', 'keep.txt': 'k\n' });
  });

  it('a failure after the rename puts both paths back exactly as they were', async () => {
    const dir = await repoWith('fails', { 'src/old.ts': 'original\n', 'gone.txt': 'x\n', 'keep.txt': 'k\n' });
    // A directory where a file must go: that move fails after the rename was done.
    await mkdir(join(dir, 'blocked.txt', 'inside'), { recursive: true });
    await writeFile(join(dir, 'blocked.txt', 'inside', 'f'), 'b');
    const before = await readTree(dir);
    const changes = changeList([...moveAndRewrite, { path: 'blocked.txt', class: 'merged', action: 'create', contents: 'new\n' }]).changes;
    await expect(writeChanges(dir, changes)).rejects.toThrow();
    expect(await readTree(dir)).toEqual(before);
  });

  it('removes the folders a delete or a move leaves empty, and no other', async () => {
    const dir = await repoWith('emptied', { 'a/b/gone.txt': 'x\n', 'a/kept.txt': 'k\n', 'c/d/moved.txt': 'm\n' });
    await writeChanges(dir, changeList([
      { path: 'a/b/gone.txt', class: 'state', action: 'delete' },
      { path: 'c/d/moved.txt', class: 'merged', action: 'rename', to: 'e/moved.txt' },
    ]).changes);
    expect((await readdir(dir)).sort()).toEqual(['a', 'e']);
    expect(await readdir(join(dir, 'a'))).toEqual(['kept.txt']);
  });

  it('prints a rename with where the file goes', () => {
    expect(formatUpdate(changeList([moveAndRewrite[0]!]))).toBe('  rename    src/old.ts -> src/new/old.ts  (moved by a migration)');
  });

  it("plans a migration's move as a rename of the user's file", async () => {
    const dir = join(root.path, 'from-0.2.0');
    await cp(fileURLToPath(new URL('../fixtures/upgrade/0.2.0/both-api-key/', import.meta.url)), dir, { recursive: true });
    const { plan } = await planUpgrade(await readRepoState(dir));
    expect(plan.changes.find((c) => c.path === 'src/tools/crm-get_customer.ts')).toMatchObject({ action: 'rename', to: 'src/tools/crm/get_customer.ts' });
    // Its imports point one folder deeper: the moved file is then rewritten at its new path.
    expect(plan.changes.find((c) => c.path === 'src/tools/crm/get_customer.ts')?.contents).toContain("'../../");
  });
});
