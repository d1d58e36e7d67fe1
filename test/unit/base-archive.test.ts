/**
 * The merge bases of a generated repo, kept as one compressed archive (src/upgrade/base-archive.ts):
 * what it holds, that it stays a small share of the repo, and that bases are read without git
 * history, from the archive or from the `.mcp-gen/base/` folder of a repo written before 0.5.0.
 */
import { gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { BASE_ARCHIVE, LEGACY_BASE_DIR, baseReader, decodeBaseArchive, encodeBaseArchive, legacyBasePaths } from '../../src/upgrade/base-archive.js';
import { readRepoState } from '../../src/upgrade/repo-state.js';
import { addStateFiles, sha256, type ManifestEntry } from '../../src/upgrade/state-files.js';
import { FileTree } from '../../src/render/file-tree.js';
import { parseSpec } from '../../src/spec/parse.js';

let root: { path: string; remove: () => Promise<void> };
let repo: string;

beforeAll(async () => {
  root = await tempDir('cms-base-archive-');
  repo = join(root.path, 'warehouse-mcp');
  // The both-api-key variant of the end-to-end tests, as the CLI writes it.
  const spec = join(root.path, 'spec.json');
  await writeFile(
    spec,
    JSON.stringify({
      name: 'warehouse-mcp',
      transport: 'both',
      auth: 'api-key',
      tools: [
        { name: 'search_stock', access: 'read', params: [{ name: 'query', type: 'string', required: false }] },
        { name: 'get_item', access: 'read', params: [{ name: 'id', type: 'string', required: true }] },
        { name: 'reserve_item', access: 'write', params: [{ name: 'name', type: 'string', required: true }] },
      ],
    }),
  );
  const run = await createCli(repo, '--yes', '--no-install', '--no-git', '--config', spec);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(() => root.remove());

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

const newlines = (bytes: Buffer) => bytes.reduce((n, byte) => n + (byte === 10 ? 1 : 0), 0);

/** The gzip members of an archive, each as its bytes (zlib's 10-byte headers: no optional fields). */
function gzipMembers(archive: Buffer): Buffer[] {
  const members: Buffer[] = [];
  for (let at = 0; at < archive.length; ) {
    const { engine } = inflateRawSync(archive.subarray(at + 10), { info: true }) as unknown as { engine: { bytesWritten: number } };
    const end = at + 10 + engine.bytesWritten + 8;
    members.push(archive.subarray(at, end));
    at = end;
  }
  return members;
}

/** The archive of `bases`, as this version groups them, but compressed at level 1. */
async function withLevel1(bases: Map<string, string>): Promise<Buffer> {
  const archive = await encodeBaseArchive(bases);
  const members = gzipMembers(archive).map((member) => {
    const again = gzipSync(gunzipSync(member), { level: 1 });
    again[9] = 255;
    return again;
  });
  const header = JSON.parse(gunzipSync(members[0]!).toString('utf8')) as { groups: Array<[string, string, number]> };
  header.groups = header.groups.map(([name, key], i) => [name, key, members[i + 1]!.length]);
  const first = gzipSync(`${JSON.stringify(header)}\n`, { level: 1 });
  first[9] = 255;
  return Buffer.concat([first, ...members.slice(1)]);
}

describe('the merge-base archive of a generated repo', () => {
  it('holds the content of every merged file, and only those; no .mcp-gen/base/ folder', async () => {
    const manifest = JSON.parse(await readFile(join(repo, '.mcp-gen/manifest.json'), 'utf8')).files as Record<string, { class: string }>;
    const bases = decodeBaseArchive(await readFile(join(repo, BASE_ARCHIVE)));
    const merged = Object.keys(manifest).filter((p) => manifest[p]!.class === 'merged').sort();
    expect([...bases.keys()]).toEqual(merged);
    for (const path of merged) expect(bases.get(path), path).toBe(await readFile(join(repo, path), 'utf8'));
    expect(await legacyBasePaths(repo)).toEqual([]);
  });

  it('keeps the hidden state (.mcp-gen/) under 10% of the repo, counted as wc -l counts', async () => {
    let all = 0;
    let hidden = 0;
    for (const path of await filesUnder(repo)) {
      const lines = newlines(await readFile(join(repo, path)));
      all += lines;
      if (path.startsWith('.mcp-gen/')) hidden += lines;
    }
    expect(hidden / all).toBeLessThanOrEqual(0.1);
  });

  it('is marked binary for git, beside the state it belongs to', async () => {
    expect(await readFile(join(repo, '.mcp-gen/.gitattributes'), 'utf8')).toMatch(/^base\.json\.gz binary$/m);
  });

  it('is the same bytes for the same bases, whatever their order or platform', async () => {
    const a = await encodeBaseArchive([['b.md', 'two\n'], ['a.md', 'one\n']]);
    const b = await encodeBaseArchive(new Map([['a.md', 'one\n'], ['b.md', 'two\n']]));
    expect(a.equals(b)).toBe(true);
    expect(a[9]).toBe(255); // gzip header: OS unknown
    expect(decodeBaseArchive(a)).toEqual(new Map([['a.md', 'one\n'], ['b.md', 'two\n']]));
  });

  it('holds each folder of bases in a gzip member of its own, which any gzip reader reads as one stream', async () => {
    const bases = new Map([
      ['README.md', 'readme\n'],
      ['src/pipeline/a.ts', 'a\n'],
      ['src/pipeline/stages/b.ts', 'b\n'],
      ['test/c.test.ts', 'c\n'],
    ]);
    const archive = await encodeBaseArchive(bases);
    expect(archive.equals(await encodeBaseArchive([...bases].reverse()))).toBe(true);
    const members = gzipMembers(archive);
    expect(members).toHaveLength(4); // the header; the root's; src/pipeline's (its subfolders too); test's
    for (const member of members) expect(member[9]).toBe(255);
    const lines = gunzipSync(archive).toString('utf8').split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ version: 2, groups: [['', expect.any(String), members[1]!.length], ['src/pipeline', expect.any(String), members[2]!.length], ['test', expect.any(String), members[3]!.length]] });
    expect(lines.slice(1)).toEqual(['["README.md","readme\\n"]', '["src/pipeline/a.ts","a\\n"]', '["src/pipeline/stages/b.ts","b\\n"]', '["test/c.test.ts","c\\n"]', '']);
    expect(decodeBaseArchive(archive)).toEqual(bases);
  });

  it("compresses again only the groups whose bases changed, and copies the others' bytes", async () => {
    const bases = new Map([
      ['README.md', 'readme\n'],
      ['src/a.ts', 'a\n'],
      ['test/b.test.ts', 'b\n'],
    ]);
    // Written at another level: a member compressed here again would not be these bytes.
    const older = await withLevel1(bases);
    const changed = new Map([...bases, ['README.md', 'readme, with a new tool\n']]);
    const next = await encodeBaseArchive(changed, { archive: older, sameBases: false });
    const [before, after] = [gzipMembers(older), gzipMembers(next)];
    expect(after[1]!.equals(before[1]!)).toBe(false); // the root's: README.md changed
    expect(after[2]!.equals(before[2]!)).toBe(true);
    expect(after[3]!.equals(before[3]!)).toBe(true);
    expect(decodeBaseArchive(next)).toEqual(changed);
    // A new base in a group, or one gone from it, changes that group only.
    const grown = await encodeBaseArchive([...bases, ['src/new.ts', 'new\n']], { archive: older, sameBases: false });
    expect(gzipMembers(grown).map((m, i) => m.equals(gzipMembers(older)[i]!))).toEqual([false, true, false, true]);
    // An archive of the first version, or bytes that are no archive: everything compressed afresh.
    const v1 = gzipSync(JSON.stringify({ version: 1, files: Object.fromEntries(bases) }), { level: 1 });
    expect(await encodeBaseArchive(changed, { archive: v1, sameBases: false })).toEqual(await encodeBaseArchive(changed));
    expect(await encodeBaseArchive(changed, { archive: Buffer.from('not gzip'), sameBases: false })).toEqual(await encodeBaseArchive(changed));
  });

  it("keeps the repo's archive as it is when its manifest says the bases are unchanged, whatever wrote it", async () => {
    const bases = new Map([['a.md', 'one\n'], ['b.md', 'two\n']]);
    const fresh = await encodeBaseArchive(bases);
    for (const older of [await withLevel1(bases), gzipSync(JSON.stringify({ version: 1, files: Object.fromEntries(bases) }), { level: 1 })]) {
      expect(older.equals(fresh)).toBe(false);
      expect((await encodeBaseArchive(bases, { archive: older, sameBases: true })).equals(older)).toBe(true);
    }
    // A first-version archive is decoded to make sure: other bases, or bytes that are not an archive, are encoded afresh.
    const v1 = gzipSync(JSON.stringify({ version: 1, files: { 'a.md': 'one\n' } }), { level: 1 });
    expect(await encodeBaseArchive(bases, { archive: v1, sameBases: true })).toEqual(fresh);
    expect(await encodeBaseArchive(bases, { archive: Buffer.from('not gzip'), sameBases: true })).toEqual(fresh);
  });

  it('reads an archive of the first version', () => {
    const files = { 'README.md': 'one\n', 'src/a.ts': 'two\n' };
    expect(decodeBaseArchive(gzipSync(JSON.stringify({ version: 1, files })))).toEqual(new Map(Object.entries(files)));
    expect(() => decodeBaseArchive(gzipSync('{"version":3}\n'))).toThrow(/not a merge-base archive/);
  });

  it("compares no base when the manifest's hashes say the bases changed, and keeps the groups that did not", async () => {
    const bases = new Map([['README.md', 'one\n'], ['src/a.ts', 'two\n']]);
    const older = await withLevel1(bases);
    const archiveOf = async (manifest: Record<string, ManifestEntry>) => {
      const tree = new FileTree();
      for (const [path, contents] of bases) tree.set(path, { contents, class: 'merged' });
      tree.set('src/tools/registry.ts', { contents: 'managed\n', class: 'managed' });
      await addStateFiles(tree, parseSpec({ name: 'hashes', tools: [{ name: 'get_a' }] }), [], { archive: older, manifest });
      return Buffer.from(tree.get(BASE_ARCHIVE)!.contents, 'base64');
    };
    const manifest: Record<string, ManifestEntry> = {
      'README.md': { class: 'merged', sha256: sha256('one\n') },
      'src/a.ts': { class: 'merged', sha256: sha256('two\n') },
      'src/tools/registry.ts': { class: 'managed', sha256: sha256('an older registry\n') },
    };
    expect((await archiveOf(manifest)).equals(older)).toBe(true);
    // The manifest names another base for README.md: the archive is made again, its unchanged groups copied.
    const stale = { ...manifest, 'README.md': { class: 'merged' as const, sha256: sha256('zero\n') } };
    const remade = await archiveOf(stale);
    expect(remade.equals(older)).toBe(false);
    expect(decodeBaseArchive(remade)).toEqual(bases);
    const { 'src/a.ts': _dropped, ...fewer } = manifest;
    expect(decodeBaseArchive(await archiveOf(fewer))).toEqual(bases);
  });

  it('gives the base of an edited file without git: an upgrade from a shallow clone still merges three ways', async () => {
    const before = await readFile(join(repo, 'README.md'), 'utf8');
    await appendFile(join(repo, 'README.md'), '\nOur notes.\n');
    const state = await readRepoState(repo);
    expect(await state.readBase('README.md')).toBe(before);
    expect(await state.readBase('src/tools/registry.ts')).toBeUndefined(); // managed: no base
    await writeFile(join(repo, 'README.md'), before);
  });

  it('a repo state reads each file once: the plan and the checks after it (upgrade --check) judge the same contents', async () => {
    const before = await readFile(join(repo, 'README.md'), 'utf8');
    const state = await readRepoState(repo);
    expect(await state.readDisk('README.md')).toBe(before);
    await appendFile(join(repo, 'README.md'), '\nOur notes.\n');
    expect(await state.readDisk('README.md')).toBe(before);
    // A command that writes reads a new state afterwards.
    expect(await (await readRepoState(repo)).readDisk('README.md')).toBe(`${before}\nOur notes.\n`);
    await writeFile(join(repo, 'README.md'), before);
  });
});

describe('reading bases', () => {
  it('takes the archive first, then the .mcp-gen/base/ folder of a repo written before 0.5.0', async () => {
    const dir = join(root.path, 'both');
    await mkdir(join(dir, LEGACY_BASE_DIR, 'src'), { recursive: true });
    await writeFile(join(dir, LEGACY_BASE_DIR, 'src/a.ts'), 'old a\n');
    await writeFile(join(dir, LEGACY_BASE_DIR, 'README.md'), 'old readme\n');
    expect(await baseReader(dir)('src/a.ts')).toBe('old a\n');
    expect(await legacyBasePaths(dir)).toEqual(['README.md', 'src/a.ts']);
    await writeFile(join(dir, BASE_ARCHIVE), await encodeBaseArchive([['README.md', 'new readme\n']]));
    const read = baseReader(dir);
    expect(await read('README.md')).toBe('new readme\n');
    expect(await read('src/a.ts')).toBe('old a\n');
    expect(await read('missing.ts')).toBeUndefined();
  });

  it('counts an unreadable archive as absent, so doctor reports the bases missing and an upgrade looks in git history', async () => {
    const dir = join(root.path, 'corrupt');
    await mkdir(join(dir, '.mcp-gen'), { recursive: true });
    await writeFile(join(dir, BASE_ARCHIVE), 'not gzip');
    expect(await baseReader(dir)('README.md')).toBeUndefined();
    await rm(join(dir, BASE_ARCHIVE));
    expect(await baseReader(dir)('README.md')).toBeUndefined();
  });
});
