/**
 * The launchers' code cache (bin/load-program.cjs): a later run starts from the compiled code an
 * earlier one left, and nothing about the cache can make a run use code other than the file's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, lstat, mkdir, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { tempDir } from '../support/temp-dir.js';

const loader = fileURLToPath(new URL('../../bin/load-program.cjs', import.meta.url));
const mcpGen = fileURLToPath(new URL('../../bin/mcp-gen.js', import.meta.url));

let work: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  work = await tempDir('cms-compile-cache-');
});
afterEach(() => work.remove());

async function filesOf(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[relative(dir, join(entry.parentPath, entry.name))] = await readFile(join(entry.parentPath, entry.name), 'latin1');
  }
  return files;
}

/** Loads `file` through the loader in a new process: what it returns, and how the cache served it. */
async function load(file: string, env: Record<string, string | undefined>): Promise<{ value: string; use: string }> {
  const script = `const l = require(${JSON.stringify(loader)}); const value = l.loadScript(${JSON.stringify(file)})(); console.log(JSON.stringify({ value, use: l.cacheUse.get(${JSON.stringify(file)}) }));`;
  const run = await execa('node', ['-e', script], { env: { NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined, ...env } });
  return JSON.parse(run.stdout) as { value: string; use: string };
}

describe('the compile cache', () => {
  it('is written by the first run and used by the next', async () => {
    const file = join(work.path, 'a.cjs');
    await writeFile(file, "module.exports = () => ['one', 'two'].join('+');\n");
    const cache = join(work.path, 'cache');
    expect(await load(file, { NODE_COMPILE_CACHE: cache })).toEqual({ value: 'one+two', use: 'written' });
    const entries = await readdir(cache);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^[0-9a-f]{64}\.bin$/);
    const written = (await stat(join(cache, entries[0]!))).mtimeMs;
    expect(await load(file, { NODE_COMPILE_CACHE: cache })).toEqual({ value: 'one+two', use: 'used' });
    expect((await stat(join(cache, entries[0]!))).mtimeMs).toBe(written);
  });

  it("never serves a file another file's code, even one of the same length", async () => {
    const file = join(work.path, 'a.cjs');
    const cache = join(work.path, 'cache');
    await writeFile(file, "module.exports = () => 'aaa';\n");
    expect(await load(file, { NODE_COMPILE_CACHE: cache })).toEqual({ value: 'aaa', use: 'written' });
    await writeFile(file, "module.exports = () => 'bbb';\n");
    expect(await load(file, { NODE_COMPILE_CACHE: cache })).toEqual({ value: 'bbb', use: 'written' });
    expect(await load(file, { NODE_COMPILE_CACHE: cache })).toEqual({ value: 'bbb', use: 'used' });
  });

  it('removes entries written over 30 days ago when it writes new ones', async () => {
    const cache = join(work.path, 'cache');
    await mkdir(cache);
    const old = join(cache, 'old.bin');
    const recent = join(cache, 'recent.bin');
    await writeFile(old, 'code of a version long gone');
    await writeFile(recent, 'code of last week');
    const days = (n: number) => new Date(Date.now() - n * 24 * 60 * 60 * 1000);
    await utimes(old, days(31), days(31));
    await utimes(recent, days(7), days(7));
    const file = join(work.path, 'a.cjs');
    await writeFile(file, "module.exports = () => 'new';\n");
    expect(await load(file, { NODE_COMPILE_CACHE: cache })).toEqual({ value: 'new', use: 'written' });
    const left = await readdir(cache);
    expect(left).toContain('recent.bin');
    expect(left).not.toContain('old.bin');
    expect(left).toHaveLength(2);
  });

  it('compiles as usual from a corrupt entry, and writes it afresh', async () => {
    const file = join(work.path, 'a.cjs');
    const cache = join(work.path, 'cache');
    await writeFile(file, "module.exports = () => 'fine';\n");
    await load(file, { NODE_COMPILE_CACHE: cache });
    const [entry] = await readdir(cache);
    await writeFile(join(cache, entry!), 'not a code cache');
    expect(await load(file, { NODE_COMPILE_CACHE: cache })).toEqual({ value: 'fine', use: 'written' });
    expect(await load(file, { NODE_COMPILE_CACHE: cache })).toEqual({ value: 'fine', use: 'used' });
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE, or when its default folder is not a private one', async () => {
    const file = join(work.path, 'a.cjs');
    await writeFile(file, "module.exports = () => 'x';\n");
    expect(await load(file, { NODE_COMPILE_CACHE: join(work.path, 'cache'), NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({ value: 'x', use: 'off' });
    await expect(readdir(join(work.path, 'cache'))).rejects.toThrow(/ENOENT/);
    // The default folder is in the temporary directory: a link planted there is not followed.
    const tmp = join(work.path, 'tmp');
    await mkdir(join(work.path, 'elsewhere'), { recursive: true });
    await mkdir(tmp);
    const folder = join(tmp, `create-mcp-server-compile-cache-${process.getuid!()}`);
    await symlink(join(work.path, 'elsewhere'), folder);
    expect(await load(file, { TMPDIR: tmp })).toEqual({ value: 'x', use: 'off' });
    expect(await readdir(join(work.path, 'elsewhere'))).toEqual([]);
  });

  it('makes its default folder private to the user', async () => {
    const file = join(work.path, 'a.cjs');
    await writeFile(file, "module.exports = () => 'x';\n");
    const tmp = join(work.path, 'tmp');
    const folder = join(tmp, `create-mcp-server-compile-cache-${process.getuid!()}`);
    await mkdir(folder, { recursive: true });
    await chmod(folder, 0o777);
    expect(await load(file, { TMPDIR: tmp })).toEqual({ value: 'x', use: 'written' });
    expect((await lstat(folder)).mode & 0o777).toBe(0o700);
    expect(await readdir(folder)).toHaveLength(1);
  });

  it('serves the real programs and their template layers: the same output from the cache', async () => {
    const cache = join(work.path, 'cache');
    const env = { NODE_COMPILE_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: undefined };
    const create = fileURLToPath(new URL('../../bin/create-mcp-server.js', import.meta.url));
    // The same repo twice, each from a folder of its own, so the two reports name the same path.
    const createIn = async (folder: string) => {
      await mkdir(join(work.path, folder));
      return execa('node', [create, 'crm', '--yes', '--no-install', '--no-git', '--tool', 'search_notes:read'], { env, cwd: join(work.path, folder) });
    };
    const first = await createIn('first');
    const repo = join(work.path, 'first', 'crm');
    // The program and each layer it rendered (base, a transport, an auth, a backend, tool...).
    expect((await readdir(cache)).length).toBeGreaterThan(4);
    const doctorCold = await execa('node', [mcpGen, 'doctor', '--no-contract', '-C', repo], { env, reject: false });
    const entries = (await readdir(cache)).sort();
    const doctorWarm = await execa('node', [mcpGen, 'doctor', '--no-contract', '-C', repo], { env, reject: false });
    expect([doctorWarm.exitCode, doctorWarm.stdout]).toEqual([doctorCold.exitCode, doctorCold.stdout]);
    expect(doctorWarm.exitCode, doctorWarm.stderr).toBe(0);
    expect((await readdir(cache)).sort()).toEqual(entries);
    const again = await createIn('again');
    // The same files, byte for byte, and the same report but for how long the write took.
    expect(await filesOf(join(work.path, 'again', 'crm'))).toEqual(await filesOf(repo));
    const report = (stdout: string) => stdout.replace(/done in [\d.]+s/g, 'done');
    expect(report(again.stdout)).toBe(report(first.stdout));
  });
});
