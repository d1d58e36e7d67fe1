/**
 * The one change model: every command (create, add-tool, add-backend, upgrade) decides a
 * ChangeList before anything is written; the printer (print-changes.ts) shows it and the sink
 * (write-changes.ts) writes it as one transaction. A create is an update of an empty directory.
 */
import type { FileClass } from '../render/file-tree.js';

/**
 * What happens to one path:
 *   create / update   the new contents are written
 *   merge             the user's edits and the template's change, merged cleanly
 *   conflict          both changed the same lines: markers written (or, without contents, yours kept)
 *   delete            the file is removed
 *   rename            the file moves to `to` (a change at `to` may then rewrite it)
 *   keep              the file stays as the user left it (reported, not written)
 *   unchanged         already as it should be
 */
export type ChangeAction = 'create' | 'update' | 'merge' | 'conflict' | 'delete' | 'rename' | 'keep' | 'unchanged';

export interface Change {
  path: string;
  /** How later commands treat the path; `state` is the generator's own bookkeeping. */
  class: FileClass | 'state';
  action: ChangeAction;
  /** What the file will hold (create / update / merge / conflict). */
  contents?: string;
  mode?: number;
  /** 'base64' for binary content (the merge-base archive), as in TreeFile. */
  encoding?: 'base64';
  /** rename: the path the file moves to. */
  to?: string;
  /** Why, for the printout: "edited by hand", "deleted by you", … */
  reason?: string;
  /** For a text conflict: the base and the new render, to write a .rej instead of markers. */
  sides?: { base: string; theirs: string };
}

export interface ChangeList {
  changes: Change[];
  /** Paths left in conflict. */
  conflicts: string[];
  /** Managed files edited by hand: regenerated, the user's version written to <path>.orig. */
  handEdited: string[];
}

/** The changes sorted by path, with the conflicts and hand edits they hold. */
export function changeList(changes: Change[]): ChangeList {
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    changes,
    conflicts: changes.filter((c) => c.action === 'conflict').map((c) => c.path),
    handEdited: changes.filter((c) => c.reason?.startsWith('edited by hand')).map((c) => c.path),
  };
}

/** Puts `change` in place of the list's change at its path, or adds it. */
export function replaceChange(list: ChangeList, change: Change): void {
  const index = list.changes.findIndex((c) => c.path === change.path);
  if (index !== -1) list.changes[index] = change;
  else {
    list.changes.push(change);
    list.changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** Whether applying the change touches the disk. */
export function writes(change: Change): boolean {
  if (change.action === 'delete' || change.action === 'rename') return true;
  return change.contents !== undefined && change.action !== 'unchanged' && change.action !== 'keep';
}
