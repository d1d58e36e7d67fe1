/**
 * create: (spec, target directory) -> the changes that write the repo. Writes nothing.
 * A create is an update of a directory that is not a generated repo yet: every path takes the
 * render (with --force, over what is there).
 */
import { resolve } from 'node:path';
import type { ChangeList } from '../apply/changes.js';
import { targetState } from '../apply/write-changes.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { planUpdate } from '../upgrade/plan-update.js';
import { emptyRepo } from '../upgrade/repo-state.js';
import { UserError } from '../user-error.js';
import { renderRepo } from './render-repo.js';

export interface CreatePlan {
  /** The resolved target directory. */
  target: string;
  changes: ChangeList;
  /** Size of each path's contents, for the listing. */
  bytes: (path: string) => number;
}

export async function planCreate(spec: CompleteProjectSpec, dir: string, options: { force: boolean }): Promise<CreatePlan> {
  const target = resolve(dir);
  const tree = await renderRepo(spec);
  const { state, entries } = await targetState(target);
  if (state === 'non-empty' && !options.force) {
    const more = entries.length >= 5 ? ', ...' : '';
    throw new UserError(`${dir} is not empty (${entries.join(', ')}${more}); choose a new directory or pass --force to write into it`, {
      hint: 'Nothing was written.',
    });
  }
  // An absent or empty target holds none of the ~300 paths: no need to try reading each.
  const changes = await planUpdate(tree, emptyRepo(target, { holdsFiles: state !== 'absent' && state !== 'empty' }), { overwrite: true });
  return { target, changes, bytes: (path) => Buffer.byteLength(tree.get(path)?.contents ?? '', tree.get(path)?.encoding ?? 'utf8') };
}
