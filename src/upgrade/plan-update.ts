/**
 * A new render of the spec + what is on disk -> what to do with every path, following the
 * table in docs/architecture.md ("The update table"). Pure decision: nothing is written here.
 *
 *   managed   regenerated whole; a hand edit is not merged: it is kept beside the file as
 *             <file>.orig and reported
 *   merged    three-way: base (.mcp-gen/base.json.gz) / disk / new render
 *   scaffold  written once when new, then the user's: never touched again
 *
 * A create plans the same way, into a directory with no manifest: with `overwrite` (the
 * directory is not a generated repo, so nothing in it is a base to merge with) every path
 * simply takes the render.
 */
import type { FileTree, FileClass } from '../render/file-tree.js';
import { changeList, type Change, type ChangeList } from '../apply/changes.js';
import { BASE_ARCHIVE, isStateFile, sha256, type ManifestEntry } from './state-files.js';
import type { RepoState } from './repo-state.js';

export interface PlanOptions {
  /** Every path takes the render, whatever is on disk (a create, `--force` included). */
  overwrite?: boolean;
}

/** Beside a regenerated managed file: the user's hand-edited version, to move the change elsewhere. */
export const ORIG_SUFFIX = '.orig';

export async function planUpdate(tree: FileTree, repo: RepoState, options: PlanOptions = {}): Promise<ChangeList> {
  const changes: Change[] = [];
  const keptEdits: Change[] = [];
  const paths = new Set([...tree.paths(), ...Object.keys(repo.manifest)]);
  for (const path of [...paths].sort()) {
    const file = tree.get(path);
    const entry = repo.manifest[path];
    const disk = await repo.readDisk(path);
    if (file && (options.overwrite || isStateFile(path))) {
      changes.push({ ...write(path, isStateFile(path) ? 'state' : file.class, disk, file.contents, file.mode), ...(file.encoding ? { encoding: file.encoding } : {}) });
    } else if (!file) {
      changes.push(dropped(path, entry!, disk));
    } else if (file.class === 'scaffold') {
      changes.push(disk !== undefined || entry ? keepOrSame(path, 'scaffold', disk, file.contents, entry ? 'yours since it was generated' : 'already exists') : write(path, 'scaffold', disk, file.contents, file.mode));
    } else if (file.class === 'managed') {
      const edited = disk !== undefined && entry !== undefined && !asGenerated(disk, entry);
      const change = write(path, 'managed', disk, file.contents, file.mode);
      if (edited && change.action !== 'unchanged') {
        change.reason = `edited by hand; regenerated (managed files are not merged), yours kept as ${path}${ORIG_SUFFIX}`;
        const orig = `${path}${ORIG_SUFFIX}`;
        keptEdits.push({ path: orig, class: 'scaffold', action: (await repo.readDisk(orig)) === undefined ? 'create' : 'update', contents: disk, reason: `your hand edit of ${path}` });
      }
      changes.push(change);
    } else {
      changes.push(await mergeFile(path, disk, file.contents, entry, repo, file.mode));
    }
  }
  changes.push(...keptEdits.filter((kept) => !tree.has(kept.path)));
  return changeList(changes);
}

/**
 * The base of a merged file. A file still byte for byte as last generated (the manifest's hash)
 * is its own base: that holds for a file generated as scaffold too, which has no base stored
 * because the templates merged it only later, and it spares the archive's decoding when no file
 * needs a merge. Otherwise the archive's base; failing that, the version with the manifest's
 * hash in git history.
 */
async function mergeBase(path: string, entry: ManifestEntry, disk: string, repo: RepoState): Promise<string | undefined> {
  if (asGenerated(disk, entry)) return disk;
  return (await repo.readBase(path)) ?? repo.findInHistory?.(path, entry.sha256);
}

/** Still byte for byte as last generated: its hash is the one the manifest recorded. */
function asGenerated(disk: string, entry: ManifestEntry): boolean {
  return sha256(disk) === entry.sha256;
}

function write(path: string, cls: Change['class'], disk: string | undefined, contents: string, mode?: number): Change {
  if (disk === contents) return { path, class: cls, action: 'unchanged' };
  return { path, class: cls, action: disk === undefined ? 'create' : 'update', contents, ...(mode ? { mode } : {}) };
}

function keepOrSame(path: string, cls: FileClass, disk: string | undefined, contents: string, reason: string): Change {
  return disk === contents ? { path, class: cls, action: 'unchanged' } : { path, class: cls, action: 'keep', reason };
}

/** The base is looked for only when the file changes on disk: most merged files of a plan do not. */
async function mergeFile(
  path: string,
  disk: string | undefined,
  next: string,
  entry: ManifestEntry | undefined,
  repo: RepoState,
  mode?: number,
): Promise<Change> {
  if (disk === undefined) {
    // Known to the manifest but gone from disk: the user deleted it, and it stays deleted.
    return entry ? { path, class: 'merged', action: 'keep', reason: 'deleted by you; left deleted' } : write(path, 'merged', disk, next, mode);
  }
  if (disk === next) return { path, class: 'merged', action: 'unchanged' };
  const base = entry ? await mergeBase(path, entry, disk, repo) : undefined;
  if (base === disk) return write(path, 'merged', disk, next, mode);
  if (base === next) return { path, class: 'merged', action: 'keep', reason: 'your edit; the template did not change' };
  // Loaded only when a file needs merging: most commands merge nothing (node-diff3 and diff).
  const { isBinary, mergeThreeWay, mergeTwoWay } = await import('./three-way.js');
  if (isBinary(disk) || isBinary(next)) {
    return { path, class: 'merged', action: 'conflict', reason: 'binary file changed on both sides; yours kept' };
  }
  if (base === undefined) {
    // Nothing says which side changed a line: only the lines that differ conflict.
    const merged = mergeTwoWay(disk, next);
    return { path, class: 'merged', action: 'conflict', contents: merged.text, sides: { base: disk, theirs: next }, reason: noBaseReason(entry) };
  }
  const merged = mergeThreeWay(disk, base, next);
  return {
    path,
    class: 'merged',
    action: merged.conflict ? 'conflict' : 'merge',
    contents: merged.text,
    ...(merged.conflict ? { sides: { base, theirs: next } } : {}),
    reason: merged.conflict ? 'both you and the template changed the same lines' : undefined,
  };
}

function noBaseReason(entry: ManifestEntry | undefined): string {
  const how = 'merged without a base: the lines that differ conflict, the lines both hold are kept';
  if (!entry) return `new in the template, and a different file is already there; ${how}`;
  if (entry.class === 'scaffold') {
    return `written as yours by an older generator, so no merge base was kept, and the version it wrote is not in the git history; ${how}`;
  }
  return `its merge base is missing from ${BASE_ARCHIVE} and the version last generated is not in the git history; ${how}`;
}

/**
 * A file the templates no longer make. A managed or merged one still as last generated (the
 * manifest's hash, as for mergeBase) is deleted, whether or not the archive still holds its base.
 */
function dropped(path: string, entry: ManifestEntry, disk: string | undefined): Change {
  const cls = entry.class;
  if (disk === undefined) return { path, class: cls, action: 'unchanged' };
  if (cls === 'scaffold') return { path, class: cls, action: 'keep', reason: 'no longer generated; yours, so kept' };
  if (asGenerated(disk, entry)) return { path, class: cls, action: 'delete', reason: 'no longer generated' };
  return { path, class: cls, action: 'conflict', reason: 'no longer generated, but you edited it: kept for you to remove' };
}
