/**
 * How the mcp-gen commands that change a repo (add-tool, add-resource, add-prompt, add-backend,
 * the imports) show and write their changes: `--dry-run` prints them (with `--diff`, unified
 * diffs) and writes nothing; otherwise they are written as one transaction and printed, and what
 * the write left to the user decides the exit code.
 */
import type { ChangeList } from '../../apply/changes.js';
import { formatUpdate, loadDiffs } from '../../apply/print-changes.js';
import { writeChanges } from '../../apply/write-changes.js';
import type { RepoState } from '../../upgrade/repo-state.js';
import { EXIT_BAD_INPUT, EXIT_OK } from '../../user-error.js';
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

/**
 * What a write left to the user, on stderr: conflicts to resolve and hand edits set aside. The
 * exit code: 2 while conflict markers remain (as upgrade's), so a script or CI job that runs the
 * command does not go on to build a repo that cannot compile.
 */
export function reportLeftToYou(list: ChangeList, output: Output): number {
  for (const path of list.conflicts) output.err(`conflict: ${path} has conflict markers to resolve`);
  for (const path of list.handEdited) output.err(`warning: ${path} had been edited by hand; it was regenerated, and your version is in ${path}.orig`);
  if (list.conflicts.length === 0) return EXIT_OK;
  output.err('Resolve the <<<<<<< / >>>>>>> blocks (yours, then the template\'s), then commit; mcp-gen doctor lists any left.');
  return EXIT_BAD_INPUT;
}
