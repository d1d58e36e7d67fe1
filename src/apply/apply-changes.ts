/**
 * Applies a set of file changes to an existing directory as one transaction: every new
 * content is staged first (same filesystem, so moves are renames), every file that will be
 * replaced or deleted is copied aside, a journal of the change is written, and only then are
 * files moved in or deleted one by one. If a step fails, everything done so far is put back
 * and the directory is exactly as it was.
 *
 * A process killed outright (SIGKILL, power loss) cannot put anything back, so the staging
 * directory stays behind with its journal: the next applyChanges() into that directory, or the
 * next mcp-gen command in it (the CLI recovers first), rolls the interrupted change back from the copies
 * before doing anything else (recoverInterruptedChanges). Deleting the journal, once every
 * file has moved in, is the commit: a change without a journal is complete and is kept.
 */
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, writeFile, access } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface FileChange {
  path: string;
  /** New contents; undefined means delete the file (or, with `to`, move it). */
  contents?: string;
  mode?: number;
  /** Move the file at `path` here (a rename: the bytes move, nothing is staged). */
  to?: string;
  /** 'base64': `contents` is binary content in base64 (TreeFile.encoding). */
  encoding?: 'base64';
}

export interface ApplyHooks {
  /** Called between steps; throwing aborts and rolls back (signals, tests). */
  checkpoint?: (path: string) => void | Promise<void>;
}

/** The staging directory's name starts with this, inside the target. */
export const STAGING_PREFIX = '.mcp-gen-staging-';
/** Inside it: which process owns it, and the journal of a change that may be half applied. */
const OWNER = 'owner.pid';
const JOURNAL = 'journal.json';

interface JournalEntry {
  path: string;
  /** Whether a file was there before (its copy is in replaced/), or the change adds it. */
  existed: boolean;
}

export async function applyChanges(target: string, changes: readonly FileChange[], hooks: ApplyHooks = {}): Promise<void> {
  await recoverInterruptedChanges(target);
  const work = await mkdtemp(join(target, STAGING_PREFIX));
  try {
    await writeFile(join(work, OWNER), String(process.pid));
    const staged = join(work, 'new');
    const replaced = join(work, 'replaced');
    for (const change of changes) {
      if (change.contents === undefined || change.to !== undefined) continue;
      const abs = join(staged, change.path);
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, change.contents, change.encoding ?? 'utf8');
      if (change.mode) await chmod(abs, change.mode);
      await hooks.checkpoint?.(change.path);
    }
    // Everything the change replaces or deletes is copied aside before the first file moves.
    // A rename touches two paths, so it has two entries; a path touched twice is copied once.
    const journal: JournalEntry[][] = [];
    const copied = new Map<string, boolean>();
    for (const change of changes) {
      const entries: JournalEntry[] = [];
      for (const path of change.to === undefined ? [change.path] : [change.path, change.to]) {
        if (!copied.has(path)) {
          const existed = await exists(join(target, path));
          if (existed) {
            await mkdir(dirname(join(replaced, path)), { recursive: true });
            await copyFile(join(target, path), join(replaced, path));
          }
          copied.set(path, existed);
        }
        entries.push({ path, existed: copied.get(path)! });
      }
      journal.push(entries);
    }
    // Written whole (a rename), so a journal that exists is complete.
    await writeFile(join(work, `${JOURNAL}.tmp`), JSON.stringify(journal.flat()));
    await rename(join(work, `${JOURNAL}.tmp`), join(work, JOURNAL));
    await moveIn(target, changes, journal, staged, replaced, hooks);
    await rm(join(work, JOURNAL)); // the commit
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function moveIn(
  target: string,
  changes: readonly FileChange[],
  journal: readonly JournalEntry[][],
  staged: string,
  replacedDir: string,
  hooks: ApplyHooks,
): Promise<void> {
  const done: JournalEntry[] = [];
  try {
    for (const [i, change] of changes.entries()) {
      const dest = join(target, change.path);
      if (change.to !== undefined) {
        await mkdir(dirname(join(target, change.to)), { recursive: true });
        await rename(dest, join(target, change.to));
        await removeEmptyParents(target, change.path);
      } else if (change.contents === undefined) {
        await rm(dest, { force: true });
        await removeEmptyParents(target, change.path);
      } else {
        await mkdir(dirname(dest), { recursive: true });
        await rename(join(staged, change.path), dest);
      }
      done.push(...journal[i]!);
      await hooks.checkpoint?.(change.path);
    }
  } catch (err) {
    for (const entry of done.reverse()) await restore(target, replacedDir, entry).catch(() => undefined);
    throw err;
  }
}

/**
 * A folder a delete or a move leaves empty goes too (git does not keep it either, so an editor
 * would show a folder the repo does not have). A rollback recreates what it needs.
 */
async function removeEmptyParents(target: string, path: string): Promise<void> {
  for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) {
    try {
      await rmdir(join(target, dir));
    } catch {
      return; // not empty (or already gone): its parents are not empty either
    }
  }
}

/** Puts one journaled path back as it was: the copy of the old file, or no file. Repeatable. */
async function restore(target: string, replacedDir: string, entry: JournalEntry): Promise<void> {
  const dest = join(target, entry.path);
  if (entry.existed) {
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(join(replacedDir, entry.path), dest);
  } else {
    await rm(dest, { force: true });
  }
}

/**
 * Rolls back every change into `target` that a killed process left half done, and removes the
 * staging directories such processes left (skipping those of processes still running).
 * Returns how many paths were put back. Safe to interrupt and run again.
 */
export async function recoverInterruptedChanges(target: string): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(target);
  } catch {
    return 0;
  }
  let restored = 0;
  for (const name of entries.filter((entry) => entry.startsWith(STAGING_PREFIX))) {
    const work = join(target, name);
    if (await ownerIsRunning(work)) continue;
    const journalText = await readFile(join(work, JOURNAL), 'utf8').catch(() => undefined);
    // No journal: the process died before moving anything, or after committing; either way
    // the target is whole.
    if (journalText !== undefined) {
      for (const entry of JSON.parse(journalText) as JournalEntry[]) {
        await restore(target, join(work, 'replaced'), entry);
        restored++;
      }
      await rm(join(work, JOURNAL));
    }
    await rm(work, { recursive: true, force: true });
  }
  return restored;
}

async function ownerIsRunning(work: string): Promise<boolean> {
  const pid = Number(await readFile(join(work, OWNER), 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
