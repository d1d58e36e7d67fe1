/**
 * The merge bases of a generated repo: the last generated content of every `merged` file, which
 * the next upgrade merges three ways against. They must travel with the repo (upgrades work
 * offline, from shallow CI clones, and from generator versions no registry serves any more), but
 * a plain copy of every merged file was half the repo's lines, in every diff and code search. So
 * they are one gzip'd JSON file, `.mcp-gen/base.json.gz`, a binary file git, editors and code
 * search skip (`zcat .mcp-gen/base.json.gz` shows it).
 *
 * Repos written before 0.5.0 keep one file per base under `.mcp-gen/base/`; the upgrade reads
 * those until the migration 0.5.0-merge-base-archive has replaced them with the archive.
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';

export const BASE_ARCHIVE = '.mcp-gen/base.json.gz';
/** Where repos written before 0.5.0 keep their bases, one file each. */
export const LEGACY_BASE_DIR = '.mcp-gen/base';

const FORMAT_VERSION = 1;
/** Byte 9 of a gzip header names the OS that wrote it; "unknown", so every platform writes the same bytes. */
const GZIP_OS_BYTE = 9;
const GZIP_OS_UNKNOWN = 255;

interface ArchiveJson {
  version: number;
  /** Repo path -> its merge base. */
  files: Record<string, string>;
}

/**
 * gzip's level 6 (its default): the archive is written by every command that renders, and level
 * 9 took 1.4 to 1.8 times as long (47-61 against 34-50 ms for a 50-tool repo's 0.95 MB of bases)
 * for a file 0.2 % smaller. (Level 4, at a third of the time, made it 4 % larger: over a tenth of
 * a repo's lines.)
 */
const GZIP_LEVEL = 6;

/**
 * The archive is gzip members of at most this much JSON each, compressed side by side on libuv's
 * thread pool: a 50-tool repo's ~1 MB took 34 ms in one member on the main thread and ~19 ms in
 * four, for 1.3 % more bytes. Any gzip reader (zcat, Node's gunzip) reads the members as one stream.
 */
const MEMBER_BYTES = 256 * 1024;

const gzipMember = promisify(gzip);

/**
 * The archive of `bases` (path -> content), in path order so the same bases give the same bytes.
 * When `previous` (the repo's archive) holds exactly these bases, it is returned as it is: an
 * up-to-date repo's archive is left alone, whatever level wrote it, and is not compressed again.
 */
export async function encodeBaseArchive(bases: Iterable<readonly [string, string]>, previous?: Uint8Array): Promise<Buffer> {
  const sorted = [...bases].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (previous !== undefined) {
    const held = decodeRemembered(Buffer.from(previous.buffer, previous.byteOffset, previous.byteLength));
    if (held !== undefined && held.size === sorted.length && sorted.every(([path, contents]) => held.get(path) === contents)) {
      return Buffer.from(previous);
    }
  }
  const files: Record<string, string> = {};
  for (const [path, contents] of sorted) files[path] = contents;
  const json: ArchiveJson = { version: FORMAT_VERSION, files };
  const text = Buffer.from(JSON.stringify(json));
  const parts: Buffer[] = [];
  for (let at = 0; at < text.length || parts.length === 0; at += MEMBER_BYTES) parts.push(text.subarray(at, at + MEMBER_BYTES));
  // chunkSize: each member's output in one buffer, not handed back to this thread 16 kB at a time.
  const members = await Promise.all(parts.map((part) => gzipMember(part, { level: GZIP_LEVEL, chunkSize: Math.max(part.length, 16 * 1024) })));
  for (const member of members) member[GZIP_OS_BYTE] = GZIP_OS_UNKNOWN;
  return Buffer.concat(members);
}

/** path -> merge base; throws when `bytes` is not an archive this version can read. */
export function decodeBaseArchive(bytes: Uint8Array): Map<string, string> {
  const json = JSON.parse(gunzipSync(bytes).toString('utf8')) as Partial<ArchiveJson>;
  if (json.version !== FORMAT_VERSION || typeof json.files !== 'object' || json.files === null) {
    throw new Error(`${BASE_ARCHIVE}: not a merge-base archive of version ${FORMAT_VERSION}`);
  }
  return new Map(Object.entries(json.files));
}

/**
 * Reads the merge bases of the repo in `dir`: from the archive, else (a repo written before
 * 0.5.0) from `.mcp-gen/base/`. The archive is read once, when the first base is asked for.
 * An archive that cannot be read counts as absent: `mcp-gen doctor` then reports every merged
 * file's base as missing, and an upgrade looks for each in git history.
 */
export function baseReader(dir: string): (path: string) => Promise<string | undefined> {
  let archive: Promise<Map<string, string>> | undefined;
  return async (path) => {
    archive ??= readArchive(join(dir, BASE_ARCHIVE));
    return (await archive).get(path) ?? readOptional(join(dir, LEGACY_BASE_DIR, path));
  };
}

/** The repo paths whose bases `.mcp-gen/base/` holds (none once the archive replaced it). */
export async function legacyBasePaths(dir: string): Promise<string[]> {
  const root = join(dir, LEGACY_BASE_DIR);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
    throw err;
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

async function readArchive(file: string): Promise<Map<string, string>> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  return decodeRemembered(bytes) ?? new Map();
}

/** decodeBaseArchive, remembered for the bytes read last; undefined when they are not an archive. */
function decodeRemembered(bytes: Buffer): Map<string, string> | undefined {
  if (lastRead?.bytes.equals(bytes)) return lastRead.bases;
  let bases: Map<string, string> | undefined;
  try {
    bases = decodeBaseArchive(bytes);
  } catch {
    bases = undefined;
  }
  lastRead = { bytes, bases };
  return bases;
}

/**
 * The archive read last, by its bytes: `upgrade` plans against the archive and then runs doctor's
 * checks on the same repo, and the render compares its bases with the repo's (encodeBaseArchive);
 * decoding it (gunzip and JSON of every merged file) each time cost ~10-20 ms. Keyed by the bytes themselves, so a changed archive is always decoded afresh.
 */
let lastRead: { bytes: Buffer; bases: Map<string, string> | undefined } | undefined;

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}
