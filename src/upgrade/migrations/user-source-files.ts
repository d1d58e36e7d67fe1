/** The files a migration that moves a module must repoint: the user's own TypeScript. */
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { RepoOverlay } from '../repo-overlay.js';

/**
 * TypeScript files under src/ and test/ that are the user's: scaffold or never generated.
 * Managed and merged files are the templates': the re-render brings their imports up to date.
 * Files an earlier migration of the same upgrade moved or wrote count at their new path.
 */
export async function userSourceFiles(repo: RepoOverlay): Promise<string[]> {
  const paths = new Set<string>();
  for (const root of ['src', 'test']) {
    const listed = await readdir(join(repo.dir, root), { recursive: true }).catch(() => [] as string[]);
    for (const entry of listed) paths.add(`${root}/${entry.split(sep).join('/')}`);
  }
  for (const [path, contents] of repo.edits()) {
    if (contents === null) paths.delete(path);
    else if (/^(src|test)\//.test(path)) paths.add(path);
  }
  const files: string[] = [];
  for (const path of paths) {
    if (!/\.[cm]?tsx?$/.test(path) || path.includes('/node_modules/')) continue;
    const cls = repo.manifest[path]?.class;
    if (cls === 'managed' || cls === 'merged') continue;
    files.push(path);
  }
  return files.sort();
}
