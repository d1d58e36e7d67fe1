/** Reads what a generated repo remembers about itself: mcp-gen.json, the manifest, the bases. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../user-error.js';
import { BASE_ARCHIVE, MANIFEST_FILE, STATE_FILE, type ManifestEntry } from './state-files.js';
import { baseReader } from './base-archive.js';
import { findInHistory } from './git-history.js';

export interface RepoState {
  dir: string;
  /** mcp-gen.json as parsed JSON, not yet validated. */
  rawSpec: unknown;
  manifest: Record<string, ManifestEntry>;
  /**
   * A file as the render holds it: text, or base64 for the binary archive (TreeFile.encoding).
   * Read from disk once per RepoState (see readRepoState).
   */
  readDisk(path: string): Promise<string | undefined>;
  /** The merge base of a merged file: from the archive, or `.mcp-gen/base/` in a repo not yet migrated. */
  readBase(path: string): Promise<string | undefined>;
  /** The content of `path` whose sha256 is `sha256`, from the repo's git history, if any. */
  findInHistory?(path: string, sha256: string): Promise<string | undefined>;
}

/**
 * Reads only: a write a killed mcp-gen left half done is rolled back by the CLI before this.
 * A command reads the repo, plans, and writes last; each file is read once however many steps
 * look at it (upgrade --check: the plan, the conflict markers and doctor's checks read every
 * generated file). After writing, read a new RepoState.
 */
export async function readRepoState(dir: string): Promise<RepoState> {
  const specText = await readText(join(dir, STATE_FILE), 'utf8');
  if (specText === undefined) {
    throw new UserError(`${dir} has no ${STATE_FILE}: run mcp-gen inside a repository made by create-mcp-server`);
  }
  let rawSpec: unknown;
  try {
    rawSpec = JSON.parse(specText);
  } catch (err) {
    throw new UserError(`${STATE_FILE} is not valid JSON (${(err as Error).message})`);
  }
  const manifestText = await readText(join(dir, MANIFEST_FILE), 'utf8');
  const manifest = manifestText ? ((JSON.parse(manifestText) as { files: Record<string, ManifestEntry> }).files ?? {}) : {};
  return {
    dir,
    rawSpec,
    manifest,
    readDisk: readOnce((path) => readText(join(dir, path), path === BASE_ARCHIVE ? 'base64' : 'utf8')),
    readBase: baseReader(dir),
    findInHistory: (path, hash) => findInHistory(dir, path, hash),
  };
}

/**
 * A directory that is not a generated repo yet (what a create writes into): no spec, no manifest,
 * no bases; `holdsFiles: false` when it is known to hold nothing (absent or empty).
 */
export function emptyRepo(dir: string, { holdsFiles = true }: { holdsFiles?: boolean } = {}): RepoState {
  return {
    dir,
    rawSpec: undefined,
    manifest: {},
    // Whatever cannot be read as a file (a directory in the way) is written over, or refused by the write.
    readDisk: async (path) => {
      if (!holdsFiles) return undefined;
      try {
        return readFileSync(join(dir, path), path === BASE_ARCHIVE ? 'base64' : 'utf8');
      } catch {
        return undefined;
      }
    },
    readBase: async () => undefined,
  };
}

function readOnce(read: (path: string) => Promise<string | undefined>): (path: string) => Promise<string | undefined> {
  const held = new Map<string, Promise<string | undefined>>();
  return (path) => {
    let contents = held.get(path);
    if (contents === undefined) held.set(path, (contents = read(path)));
    return contents;
  };
}

/**
 * Synchronous underneath: a command reads every generated path (some 270 for 50 tools), and an
 * asynchronous read is four round trips through the thread pool; read one after the other,
 * that was ~75 ms against ~3.
 */
async function readText(path: string, encoding: BufferEncoding): Promise<string | undefined> {
  try {
    return readFileSync(path, encoding);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return undefined;
    throw err;
  }
}
