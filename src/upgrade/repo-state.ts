/** Reads what a generated repo remembers about itself: mcp-gen.json, the manifest, the bases. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recoverInterruptedChanges } from '../apply/apply-changes.js';
import { BASE_ARCHIVE, MANIFEST_FILE, STATE_FILE, type ManifestEntry } from './state-files.js';
import { baseReader } from './base-archive.js';
import { findInHistory } from './git-history.js';

export class NotAGeneratedRepo extends Error {}

export interface RepoState {
  dir: string;
  /** mcp-gen.json as parsed JSON, not yet validated. */
  rawSpec: unknown;
  manifest: Record<string, ManifestEntry>;
  /** A file as the render holds it: text, or base64 for the binary archive (TreeFile.encoding). */
  readDisk(path: string): Promise<string | undefined>;
  /** The merge base of a merged file: from the archive, or `.mcp-gen/base/` in a repo not yet migrated. */
  readBase(path: string): Promise<string | undefined>;
  /** The content of `path` whose sha256 is `sha256`, from the repo's git history, if any. */
  findInHistory?(path: string, sha256: string): Promise<string | undefined>;
}

export async function readRepoState(dir: string): Promise<RepoState> {
  // Every mcp-gen command starts here: first put back a write a killed mcp-gen left half done.
  const restored = await recoverInterruptedChanges(dir);
  if (restored > 0) process.stderr.write(`mcp-gen: rolled back an interrupted write in ${dir} (${restored} files restored)\n`);
  const specText = await readText(join(dir, STATE_FILE), 'utf8');
  if (specText === undefined) {
    throw new NotAGeneratedRepo(`${dir} has no ${STATE_FILE}: run mcp-gen inside a repository made by create-mcp-server`);
  }
  let rawSpec: unknown;
  try {
    rawSpec = JSON.parse(specText);
  } catch (err) {
    throw new NotAGeneratedRepo(`${STATE_FILE} is not valid JSON (${(err as Error).message})`);
  }
  const manifestText = await readText(join(dir, MANIFEST_FILE), 'utf8');
  const manifest = manifestText ? ((JSON.parse(manifestText) as { files: Record<string, ManifestEntry> }).files ?? {}) : {};
  return {
    dir,
    rawSpec,
    manifest,
    readDisk: (path) => readText(join(dir, path), path === BASE_ARCHIVE ? 'base64' : 'utf8'),
    readBase: baseReader(dir),
    findInHistory: (path, hash) => findInHistory(dir, path, hash),
  };
}

async function readText(path: string, encoding: BufferEncoding): Promise<string | undefined> {
  try {
    return await readFile(path, encoding);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return undefined;
    throw err;
  }
}
