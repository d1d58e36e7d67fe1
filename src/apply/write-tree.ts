/**
 * Writes a generated tree to disk, atomically:
 * - a new (absent or empty) target is written whole into a hidden temp directory beside it
 *   and renamed into place, so a failure or a kill leaves no half-written target;
 * - a non-empty target (`--force`), or one holding only `.git`, is changed as one transaction
 *   by applyChanges().
 */
import { chmod, mkdir, mkdtemp, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileTree } from '../render/file-tree.js';
import type { Plan } from './plan.js';
import { applyChanges } from './apply-changes.js';
import { withSignalGuard } from './signal-guard.js';

export interface WriteHooks {
  /** Test seam: called after each staged file, to simulate a failure midway. */
  afterStagedFile?: (path: string) => void | Promise<void>;
}

export async function writeTree(tree: FileTree, plan: Plan, hooks: WriteHooks = {}): Promise<void> {
  const files = plan.files
    .filter((f) => f.action !== 'unchanged')
    .map(({ path }) => ({ path, contents: tree.get(path)!.contents, mode: tree.get(path)!.mode, encoding: tree.get(path)!.encoding }));
  await withSignalGuard(async (checkSignal) => {
    const checkpoint = async (path: string) => {
      checkSignal();
      await hooks.afterStagedFile?.(path);
    };
    // A target holding .git (or more) is changed in place, never replaced: its history stays.
    if (plan.targetState === 'non-empty' || plan.targetState === 'git-only') return applyChanges(plan.target, files, { checkpoint });

    const parent = dirname(plan.target);
    await mkdir(parent, { recursive: true });
    const staging = await mkdtemp(join(parent, `.${basename(plan.target)}.create-mcp-server-`));
    try {
      const root = join(staging, 'tree');
      for (const file of files) {
        const abs = join(root, file.path);
        await mkdir(dirname(abs), { recursive: true });
        await writeFile(abs, file.contents, file.encoding ?? 'utf8');
        if (file.mode) await chmod(abs, file.mode);
        await checkpoint(file.path);
      }
      if (plan.targetState === 'empty') await rmdir(plan.target);
      await rename(root, plan.target);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
}
