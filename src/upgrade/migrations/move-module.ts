/**
 * The step several migrations take: a template-owned (merged) module moves to a new path with
 * its merge base and manifest entry, so the re-render merges the template's new version into it
 * with the user's edits, and every file of the user's that imports it is pointed at the new path.
 */
import type { RepoOverlay } from '../repo-overlay.js';
import { rewriteRelativeImports } from './relative-imports.js';
import { userSourceFiles } from './user-source-files.js';

/**
 * Moves `${from}.ts` to `${to}.ts` (repo paths without extension). A repo that never had the
 * module, or where it is already moved, is left as it is, so running it twice changes nothing.
 */
export async function moveMergedModule(repo: RepoOverlay, from: string, to: string): Promise<void> {
  if ((await repo.readDisk(`${to}.ts`)) !== undefined) return;
  if ((await repo.readDisk(`${from}.ts`)) === undefined && !repo.manifest[`${from}.ts`]) return;
  await repo.rename(`${from}.ts`, `${to}.ts`);
  const moved = new Map([[from, to]]);
  for (const path of await userSourceFiles(repo)) {
    const contents = await repo.readDisk(path);
    if (contents === undefined) continue;
    const rewritten = rewriteRelativeImports(contents, { from: path, to: path, moved });
    if (rewritten !== contents) repo.write(path, rewritten);
  }
}
