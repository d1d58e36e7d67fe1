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
// Synchronous file operations (the caller's checkpoint turns the event loop, so a signal lands
// between steps): an add-tool changes ~10 files in ~70 steps, and each asynchronous step is a
// round trip through the thread pool, ~20 ms in all against ~3.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
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
  const work = mkdtempSync(join(target, STAGING_PREFIX));
  const checkpoint = async (path: string) => hooks.checkpoint?.(path);
  try {
    writeFileSync(join(work, OWNER), String(process.pid));
    const staged = join(work, 'new');
    const replaced = join(work, 'replaced');
    for (const change of changes) {
      if (change.contents === undefined || change.to !== undefined) continue;
      const abs = join(staged, change.path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, change.contents, change.encoding ?? 'utf8');
      if (change.mode) chmodSync(abs, change.mode);
      await checkpoint(change.path);
    }
    // Everything the change replaces or deletes is copied aside before the first file moves.
    // A rename touches two paths, so it has two entries; a path touched twice is copied once.
    const journal: JournalEntry[][] = [];
    const copied = new Map<string, boolean>();
    for (const change of changes) {
      const entries: JournalEntry[] = [];
      for (const path of change.to === undefined ? [change.path] : [change.path, change.to]) {
        if (!copied.has(path)) {
          const existed = existsSync(join(target, path));
          if (existed) {
            mkdirSync(dirname(join(replaced, path)), { recursive: true });
            copyFileSync(join(target, path), join(replaced, path));
          }
          copied.set(path, existed);
        }
        entries.push({ path, existed: copied.get(path)! });
      }
      journal.push(entries);
    }
    // Written whole (a rename), so a journal that exists is complete.
    writeFileSync(join(work, `${JOURNAL}.tmp`), JSON.stringify(journal.flat()));
    renameSync(join(work, `${JOURNAL}.tmp`), join(work, JOURNAL));
    await moveIn(target, changes, journal, staged, replaced, checkpoint);
    rmSync(join(work, JOURNAL)); // the commit
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function moveIn(
  target: string,
  changes: readonly FileChange[],
  journal: readonly JournalEntry[][],
  staged: string,
  replacedDir: string,
  checkpoint: (path: string) => Promise<void>,
): Promise<void> {
  const done: JournalEntry[] = [];
  try {
    for (const [i, change] of changes.entries()) {
      const dest = join(target, change.path);
      if (change.to !== undefined) {
        mkdirSync(dirname(join(target, change.to)), { recursive: true });
        renameSync(dest, join(target, change.to));
        removeEmptyParents(target, change.path);
      } else if (change.contents === undefined) {
        rmSync(dest, { force: true });
        removeEmptyParents(target, change.path);
      } else {
        mkdirSync(dirname(dest), { recursive: true });
        renameSync(join(staged, change.path), dest);
      }
      done.push(...journal[i]!);
      await checkpoint(change.path);
    }
  } catch (err) {
    for (const entry of done.reverse()) {
      try {
        restore(target, replacedDir, entry);
      } catch {
        // put back what can be; the journal still names the rest for the next recovery
      }
    }
    throw err;
  }
}

/**
 * A folder a delete or a move leaves empty goes too (git does not keep it either, so an editor
 * would show a folder the repo does not have). A rollback recreates what it needs.
 */
function removeEmptyParents(target: string, path: string): void {
  for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) {
    try {
      rmdirSync(join(target, dir));
    } catch {
      return; // not empty (or already gone): its parents are not empty either
    }
  }
}

/** Puts one journaled path back as it was: the copy of the old file, or no file. Repeatable. */
function restore(target: string, replacedDir: string, entry: JournalEntry): void {
  const dest = join(target, entry.path);
  if (entry.existed) {
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(join(replacedDir, entry.path), dest);
  } else {
    rmSync(dest, { force: true });
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
    entries = readdirSync(target);
  } catch {
    return 0;
  }
  let restored = 0;
  for (const name of entries.filter((entry) => entry.startsWith(STAGING_PREFIX))) {
    const work = join(target, name);
    if (ownerIsRunning(work)) continue;
    const journalText = readOptional(join(work, JOURNAL));
    // No journal: the process died before moving anything, or after committing; either way
    // the target is whole.
    if (journalText !== undefined) {
      for (const entry of JSON.parse(journalText) as JournalEntry[]) {
        restore(target, join(work, 'replaced'), entry);
        restored++;
      }
      rmSync(join(work, JOURNAL));
    }
    rmSync(work, { recursive: true, force: true });
  }
  return restored;
}

function ownerIsRunning(work: string): boolean {
  const pid = Number(readOptional(join(work, OWNER)) ?? '');
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
