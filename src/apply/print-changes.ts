/**
 * How a ChangeList reads on a terminal, for every command:
 * - `listing` (create): every file with its size, then a count per action;
 * - `update` (mcp-gen): what changes, one line a path with why, optionally unified diffs;
 *   unchanged paths and the generator's state files are left out.
 */
import type { Change, ChangeList } from './changes.js';

let diffLibrary: typeof import('diff') | undefined;

/** Loads the diff library, for a formatUpdate with `diffs`: only the commands that print diffs pay for it. */
export async function loadDiffs(): Promise<void> {
  diffLibrary ??= await import('diff');
}

export interface ListingOptions {
  target: string;
  /** Size of each path's new contents. */
  bytes: (path: string) => number;
}

export function formatListing(list: ChangeList, { target, bytes }: ListingOptions): string {
  const lines = list.changes.map((c) => `  ${c.action.padEnd(9)} ${c.path}  (${formatBytes(bytes(c.path))})`);
  const counts = new Map<string, number>();
  for (const c of list.changes) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
  const summary = ['create', 'update', 'unchanged']
    .filter((action) => counts.has(action))
    .map((action) => `${counts.get(action)} to ${action === 'unchanged' ? 'leave unchanged' : action}`)
    .join(', ');
  return `${lines.join('\n')}\n${list.changes.length} files in ${target}: ${summary}`;
}

export interface UpdateOptions {
  diffs?: boolean;
  /** What each path holds before the change, for the diffs. */
  before?: Map<string, string | undefined>;
}

/** The changes an update view shows: not the unchanged paths, not the state files. */
export function visibleChanges(list: ChangeList): Change[] {
  return list.changes.filter((c) => c.action !== 'unchanged' && c.class !== 'state');
}

export function formatUpdate(list: ChangeList, options: UpdateOptions = {}): string {
  const visible = visibleChanges(list);
  if (visible.length === 0) return 'Nothing to change.';
  const lines = visible.map((c) => `  ${c.action.padEnd(9)} ${c.path}${c.to ? ` -> ${c.to}` : ''}${c.reason ? `  (${c.reason})` : ''}`);
  if (options.diffs && options.before) {
    for (const change of visible) {
      if (change.contents === undefined && change.action !== 'delete') continue;
      lines.push('', unifiedDiff(change, options.before.get(change.path)));
    }
  }
  return lines.join('\n');
}

function unifiedDiff(change: Change, before: string | undefined): string {
  const from = before === undefined ? '/dev/null' : `a/${change.path}`;
  const to = change.action === 'delete' ? '/dev/null' : `b/${change.path}`;
  if (!diffLibrary) throw new Error('formatUpdate: diffs asked for before loadDiffs()');
  return diffLibrary.createTwoFilesPatch(from, to, before ?? '', change.contents ?? '', '', '', { context: 3 }).replace(/^=+\n/, '').trimEnd();
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}
