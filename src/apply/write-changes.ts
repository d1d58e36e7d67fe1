/**
 * The one sink: writes a ChangeList into a directory, atomically.
 * - A new (absent or empty) directory, where every change is a create, is written whole into a
 *   hidden directory beside it and renamed into place: a failure or a kill leaves no
 *   half-written target (the fast path).
 * - Anything else (a repo, a directory holding only `.git`, `create --force`) is changed as one
 *   transaction by applyChanges(): a failure midway leaves it exactly as it was.
 * SIGINT / SIGTERM while writing abort at the next file, with the same guarantees.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../user-error.js';
import { applyChanges, type FileChange } from './apply-changes.js';
import { writes, type Change } from './changes.js';
import { withSignalGuard } from './signal-guard.js';

/** `git-only`: nothing but `.git` (a fresh clone of an empty repository): empty, written in place. */
export type TargetState = 'absent' | 'empty' | 'git-only' | 'non-empty';

export interface WriteHooks {
  /** Test seam: called after each staged file, to simulate a failure midway. */
  afterStagedFile?: (path: string) => void | Promise<void>;
}

/** Writes the changes that touch the disk as one transaction; returns how many paths it wrote (0: the disk is as it was). */
export async function writeChanges(target: string, changes: readonly Change[], hooks: WriteHooks = {}): Promise<number> {
  const files: FileChange[] = changes.filter(writes).map((c) => ({
    path: c.path,
    ...(c.contents !== undefined && c.action !== 'delete' && c.action !== 'rename' ? { contents: c.contents } : {}),
    ...(c.mode ? { mode: c.mode } : {}),
    ...(c.encoding ? { encoding: c.encoding } : {}),
    ...(c.action === 'rename' ? { to: c.to! } : {}),
  }));
  // A file moves before a change at its new path rewrites it.
  files.sort((a, b) => Number(b.to !== undefined) - Number(a.to !== undefined));
  if (files.length === 0) return 0;
  await withSignalGuard(async (checkSignal) => {
    // The writes are synchronous: a turn of the event loop at each checkpoint lets a SIGINT /
    // SIGTERM land there.
    const checkpoint = async (path: string) => {
      await new Promise(setImmediate);
      checkSignal();
      await hooks.afterStagedFile?.(path);
    };
    const { state } = await targetState(target);
    const allNew = changes.every((c) => c.action === 'create' || !writes(c));
    // A target holding .git (or more) is changed in place, never replaced: its history stays.
    if ((state === 'absent' || state === 'empty') && allNew) return renameIntoPlace(target, files, checkpoint);
    return applyChanges(target, files, { checkpoint });
  });
  return files.length;
}

async function renameIntoPlace(target: string, files: readonly FileChange[], checkpoint: (path: string) => Promise<void>): Promise<void> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(target)}.create-mcp-server-`));
  try {
    const root = join(staging, 'tree');
    // Each folder made once, and each file written synchronously: a create stages ~270 files,
    // and the asynchronous mkdir + writeFile of each cost ~4 thread-pool round trips.
    const made = new Set<string>();
    for (const file of files) {
      const abs = join(root, file.path);
      const folder = dirname(abs);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      writeFileSync(abs, file.contents!, file.encoding ?? 'utf8');
      if (file.mode) chmodSync(abs, file.mode);
      await checkpoint(file.path);
    }
    if ((await targetState(target)).state === 'empty') await rmdir(target);
    await rename(root, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** What is at `target` now, with a few of its entries (for a refusal message). */
export async function targetState(target: string): Promise<{ state: TargetState; entries: string[] }> {
  let info;
  try {
    info = await stat(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent', entries: [] };
    throw err;
  }
  if (!info.isDirectory()) throw new UserError(`${target} exists and is not a directory`, { hint: 'Nothing was written.' });
  const entries = (await readdir(target)).sort();
  const state = entries.length === 0 ? 'empty' : entries.length === 1 && entries[0] === '.git' ? 'git-only' : 'non-empty';
  return { state, entries: entries.slice(0, 5) };
}
