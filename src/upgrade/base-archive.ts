/**
 * The merge bases of a generated repo: the last generated content of every `merged` file, which
 * the next upgrade merges three ways against. They must travel with the repo (upgrades work
 * offline, from shallow CI clones, and from generator versions no registry serves any more), but
 * a plain copy of every merged file was half the repo's lines, in every diff and code search. So
 * they are one gzip'd file, `.mcp-gen/base.json.gz`, a binary file git, editors and code search
 * skip (`zcat .mcp-gen/base.json.gz` shows it).
 *
 * Version 2 (this one) is JSON lines in gzip members: a header `{"version":2,"groups":[...]}`,
 * then each group of bases (the files of one folder, to two levels: `src/pipeline`, `test`, the
 * root's) as `["path","contents"]` lines in a member of its own. The header names each group's
 * key (a hash of its paths and contents) and compressed length, so a command re-compresses only
 * the groups whose bases changed and copies the others' bytes: an add-tool changes README.md and
 * RUNBOOK.md, ~140 of a 50-tool repo's ~1000 kB. The members are compressed side by side on
 * libuv's thread pool. Version 1, one JSON object, is still read.
 *
 * Repos written before 0.5.0 keep one file per base under `.mcp-gen/base/`; the upgrade reads
 * those until the migration 0.5.0-merge-base-archive has replaced them with the archive.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip, inflateRawSync } from 'node:zlib';

export const BASE_ARCHIVE = '.mcp-gen/base.json.gz';
/** Where repos written before 0.5.0 keep their bases, one file each. */
export const LEGACY_BASE_DIR = '.mcp-gen/base';

const FORMAT_VERSION = 2;
/** The gzip header zlib writes: 10 bytes, no optional fields; byte 9 names the OS that wrote it. */
const GZIP_HEADER_BYTES = 10;
const GZIP_FLAGS_BYTE = 3;
const GZIP_TRAILER_BYTES = 8;
const GZIP_OS_BYTE = 9;
/** "Unknown", so every platform writes the same bytes. */
const GZIP_OS_UNKNOWN = 255;

/** Version 1: one JSON object. */
interface ArchiveJsonV1 {
  version: 1;
  /** Repo path -> its merge base. */
  files: Record<string, string>;
}

/** Version 2's first line: each group's [name, key, compressed bytes], in the order of its members. */
interface ArchiveHeader {
  version: 2;
  groups: Array<[string, string, number]>;
}

/**
 * gzip's level 6 (its default): level 9 took 1.4 to 1.8 times as long for a file 0.2 % smaller;
 * level 4, at a third of the time, made it 4 % larger: over a tenth of a repo's lines.
 */
const GZIP_LEVEL = 6;

const gzipMember = promisify(gzip);

/** A merge base: its path, content and, when the caller has it, the content's sha256. */
export type Base = readonly [path: string, contents: string, sha256?: string];

/** What a repo held: its archive, and whether its manifest says its bases are the ones now made. */
export interface PreviousArchive {
  archive: Uint8Array;
  sameBases: boolean;
}

/** The group a base is compressed with: its folder, to two levels (`src/pipeline`, `test`; `` for the root's files). */
function groupOf(path: string): string {
  return path.split('/').slice(0, -1).slice(0, 2).join('/');
}

/**
 * The archive of `bases`, grouped and in path order, so the same bases give the same bytes. The
 * members of `previous` (the repo's archive) whose group is unchanged are kept byte for byte;
 * when its manifest says every base is unchanged it is returned as it is, whatever wrote it.
 */
export async function encodeBaseArchive(bases: Iterable<Base>, previous?: PreviousArchive): Promise<Buffer> {
  const sorted = [...bases].sort(byPath);
  const kept = previous ? archiveMembers(previous.archive) : undefined;
  if (previous?.sameBases && (kept !== undefined || sameAsDecoded(previous.archive, sorted))) return Buffer.from(previous.archive);
  const groups = new Map<string, Array<readonly [string, string]>>();
  for (const [path, contents] of sorted) {
    const name = groupOf(path);
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name)!.push([path, contents]);
  }
  const hashOf = new Map(sorted.map(([path, contents, sha]) => [path, sha ?? createHash('sha256').update(contents).digest('hex')]));
  const members = await Promise.all(
    [...groups].map(async ([name, files]) => {
      const key = groupKey(files.map(([path]) => [path, hashOf.get(path)!] as const));
      const member = kept?.get(key) ?? (await compress(files.map((file) => `${JSON.stringify(file)}\n`).join('')));
      return { name, key, member };
    }),
  );
  const header: ArchiveHeader = { version: FORMAT_VERSION, groups: members.map(({ name, key, member }) => [name, key, member.length]) };
  return Buffer.concat([await compress(`${JSON.stringify(header)}\n`), ...members.map(({ member }) => member)]);
}

/** Path order (code unit order, as every platform sorts it). */
function byPath([a]: readonly [string, ...unknown[]], [b]: readonly [string, ...unknown[]]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A group's key: its paths and their contents' hashes (two groups with the same key hold the same lines). */
function groupKey(files: ReadonlyArray<readonly [string, string]>): string {
  const hash = createHash('sha256');
  for (const [path, sha] of files) hash.update(`${path}\0${sha}\n`);
  return hash.digest('hex');
}

async function compress(text: string): Promise<Buffer> {
  const bytes = Buffer.from(text);
  // chunkSize: the member's output in one buffer, not handed back to this thread 16 kB at a time.
  const member = await gzipMember(bytes, { level: GZIP_LEVEL, chunkSize: Math.max(bytes.length, 16 * 1024) });
  member[GZIP_OS_BYTE] = GZIP_OS_UNKNOWN;
  return member;
}

/**
 * A version 2 archive's group members by key, found from its header alone (nothing else is
 * decompressed); undefined for anything else.
 */
function archiveMembers(archive: Uint8Array): Map<string, Buffer> | undefined {
  const bytes = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  try {
    if (bytes.length < GZIP_HEADER_BYTES || bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[GZIP_FLAGS_BYTE] !== 0) return undefined;
    const { buffer, engine } = inflateRawSync(bytes.subarray(GZIP_HEADER_BYTES), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    const header = JSON.parse(buffer.toString('utf8')) as Partial<ArchiveHeader>;
    if (header.version !== FORMAT_VERSION || !Array.isArray(header.groups)) return undefined;
    const members = new Map<string, Buffer>();
    let at = GZIP_HEADER_BYTES + engine.bytesWritten + GZIP_TRAILER_BYTES;
    for (const [, key, length] of header.groups) {
      members.set(key, bytes.subarray(at, at + length));
      at += length;
    }
    return at === bytes.length ? members : undefined;
  } catch {
    return undefined;
  }
}

/** A version 1 archive (or bytes that are no archive): whether it holds exactly these bases. */
function sameAsDecoded(archive: Uint8Array, sorted: readonly Base[]): boolean {
  const held = decodeRemembered(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength));
  return held !== undefined && held.size === sorted.length && sorted.every(([path, contents]) => held.get(path) === contents);
}

/** path -> merge base, in path order; throws when `bytes` is not an archive this version can read. */
export function decodeBaseArchive(bytes: Uint8Array): Map<string, string> {
  const text = gunzipSync(bytes).toString('utf8');
  if (text.startsWith('{"version":1,')) {
    const json = JSON.parse(text) as Partial<ArchiveJsonV1>;
    if (typeof json.files !== 'object' || json.files === null) throw new Error(`${BASE_ARCHIVE}: not a merge-base archive`);
    return new Map(Object.entries(json.files));
  }
  const lines = text.split('\n');
  const header = JSON.parse(lines[0]!) as Partial<ArchiveHeader>;
  if (header.version !== FORMAT_VERSION || lines.at(-1) !== '') {
    throw new Error(`${BASE_ARCHIVE}: not a merge-base archive of version 1 or ${FORMAT_VERSION}`);
  }
  // In path order, as version 1 held them (the members are in group order).
  const entries = lines.slice(1, -1).map((line) => JSON.parse(line) as [string, string]);
  return new Map(entries.sort(byPath));
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
