/** Reads what a generated repo remembers about itself: mcp-gen.json, the manifest, the bases. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../user-error.js';
import { BASE_DIR, MANIFEST_FILE, STATE_FILE, type ManifestEntry } from './state-files.js';
import { findInHistory } from './git-history.js';

export interface RepoState {
  dir: string;
  /** mcp-gen.json as parsed JSON, not yet validated. */
  rawSpec: unknown;
  manifest: Record<string, ManifestEntry>;
  readDisk(path: string): Promise<string | undefined>;
  readBase(path: string): Promise<string | undefined>;
  /** The content of `path` whose sha256 is `sha256`, from the repo's git history, if any. */
  findInHistory?(path: string, sha256: string): Promise<string | undefined>;
}

/** Reads only: a write a killed mcp-gen left half done is rolled back by the CLI before this. */
export async function readRepoState(dir: string): Promise<RepoState> {
  const specText = await readText(join(dir, STATE_FILE));
  if (specText === undefined) {
    throw new UserError(`${dir} has no ${STATE_FILE}: run mcp-gen inside a repository made by create-mcp-server`);
  }
  let rawSpec: unknown;
  try {
    rawSpec = JSON.parse(specText);
  } catch (err) {
    throw new UserError(`${STATE_FILE} is not valid JSON (${(err as Error).message})`);
  }
  const manifestText = await readText(join(dir, MANIFEST_FILE));
  const manifest = manifestText ? ((JSON.parse(manifestText) as { files: Record<string, ManifestEntry> }).files ?? {}) : {};
  return {
    dir,
    rawSpec,
    manifest,
    readDisk: (path) => readText(join(dir, path)),
    readBase: (path) => readText(join(dir, BASE_DIR, path)),
    findInHistory: (path, hash) => findInHistory(dir, path, hash),
  };
}

/** A directory that is not a generated repo yet (what a create writes into): no spec, no manifest, no bases. */
export function emptyRepo(dir: string): RepoState {
  return {
    dir,
    rawSpec: undefined,
    manifest: {},
    // Whatever cannot be read as a file (a directory in the way) is written over, or refused by the write.
    readDisk: (path) => readFile(join(dir, path), 'utf8').catch(() => undefined),
    readBase: async () => undefined,
  };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return undefined;
    throw err;
  }
}
