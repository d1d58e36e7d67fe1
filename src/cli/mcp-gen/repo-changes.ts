/**
 * How the mcp-gen commands that change a repo (add-tool, add-backend) show and write their
 * changes: `--dry-run` prints them (with `--diff`, unified diffs) and writes nothing; otherwise
 * they are written as one transaction and printed.
 */
import type { ChangeList } from '../../apply/changes.js';
import { formatUpdate, loadDiffs } from '../../apply/print-changes.js';
import { writeChanges } from '../../apply/write-changes.js';
import type { RepoState } from '../../upgrade/repo-state.js';
import type { Output } from '../output.js';

/** What each changed path holds before the change (a renamed file: what it held at its old path), for unified diffs. */
export async function contentsBefore(repo: RepoState, list: ChangeList): Promise<Map<string, string | undefined>> {
  const movedFrom = new Map(list.changes.filter((c) => c.action === 'rename').map((c) => [c.to!, c.path]));
  const before = new Map<string, string | undefined>();
  for (const c of list.changes) before.set(c.path, await repo.readDisk(movedFrom.get(c.path) ?? c.path));
  return before;
}

/** Prints the dry run; returns false. Or writes and prints; returns true. */
export async function showOrWrite(repo: RepoState, list: ChangeList, options: { dryRun?: boolean; diff?: boolean }, output: Output): Promise<boolean> {
  if (options.dryRun) {
    const before = options.diff ? await contentsBefore(repo, list) : new Map<string, string | undefined>();
    if (options.diff) await loadDiffs();
    output.out(formatUpdate(list, { diffs: options.diff, before }));
    return false;
  }
  await writeChanges(repo.dir, list.changes);
  output.out(formatUpdate(list));
  return true;
}
