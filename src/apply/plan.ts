/** What applying a FileTree to a directory would do, decided before anything is written. */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileTree } from '../render/file-tree.js';

/** `git-only`: nothing but `.git` (a fresh clone of an empty repository): empty, written in place. */
export type TargetState = 'absent' | 'empty' | 'git-only' | 'non-empty';
export type FileAction = 'create' | 'update' | 'unchanged';

export interface PlannedFile {
  path: string;
  action: FileAction;
  bytes: number;
}

export interface Plan {
  target: string;
  targetState: TargetState;
  /** A few of the entries already in a non-empty target, for the refusal message. */
  existingEntries: string[];
  files: PlannedFile[];
}

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export async function planTree(tree: FileTree, target: string): Promise<Plan> {
  const state = await targetState(target);
  const files: PlannedFile[] = [];
  for (const [path, file] of tree.entries()) {
    const bytes = Buffer.byteLength(file.contents, file.encoding ?? 'utf8');
    let action: FileAction = 'create';
    if (state.state === 'non-empty' || state.state === 'git-only') {
      const current = await readFile(join(target, path), file.encoding ?? 'utf8').catch(() => undefined);
      if (current !== undefined) action = current === file.contents ? 'unchanged' : 'update';
    }
    files.push({ path, action, bytes });
  }
  return { target, targetState: state.state, existingEntries: state.entries, files };
}

async function targetState(target: string): Promise<{ state: TargetState; entries: string[] }> {
  let info;
  try {
    info = await stat(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent', entries: [] };
    throw err;
  }
  if (!info.isDirectory()) throw new TargetError(`${target} exists and is not a directory`);
  const entries = (await readdir(target)).sort();
  const state = entries.length === 0 ? 'empty' : entries.length === 1 && entries[0] === '.git' ? 'git-only' : 'non-empty';
  return { state, entries: entries.slice(0, 5) };
}
