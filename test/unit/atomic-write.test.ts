import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '../../src/spec/parse.js';
import { planCreate } from '../../src/commands/create.js';
import { writeChanges } from '../../src/apply/write-changes.js';
import { recoverInterruptedChanges, STAGING_PREFIX } from '../../src/apply/apply-changes.js';
import { readTree, tempDir } from '../support/temp-dir.js';

const bin = fileURLToPath(new URL('../../bin/create-mcp-server.js', import.meta.url));
let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ path: root, remove: cleanup } = await tempDir());
});
afterAll(() => cleanup());

const spec = parseSpec({ name: 'atomic', tools: [{ name: 'get_a' }, { name: 'create_b', access: 'write' }] });

describe('atomic writes', () => {
  it('a failure midway leaves no target and no staging directory', async () => {
    const target = join(root, 'fails-midway');
    const plan = await planCreate(spec, target, { force: false });
    let staged = 0;
    await expect(
      writeChanges(target, plan.changes.changes, {
        afterStagedFile: () => {
          if (++staged === 10) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(existsSync(target)).toBe(false);
    expect((await readdir(root)).filter((e) => e.includes('fails-midway'))).toEqual([]);
  });

  it('a failure midway into an existing directory (--force) restores it exactly', async () => {
    const target = join(root, 'existing');
    await mkdir(join(target, 'src'), { recursive: true });
    await writeFile(join(target, 'README.md'), 'my readme');
    await writeFile(join(target, 'keep.txt'), 'keep');
    // A directory where a generated file must go: the move fails after others were moved.
    await mkdir(join(target, 'tsconfig.json'));
    await writeFile(join(target, 'tsconfig.json', 'blocker'), 'x');
    const before = await readTree(target);
    const plan = await planCreate(spec, target, { force: true });
    await expect(writeChanges(target, plan.changes.changes)).rejects.toThrow();
    expect(await readTree(target)).toEqual(before);
    expect((await readdir(root)).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it('a kill at any moment leaves either no target or a complete one, never a partial one', async () => {
    const tools = Array.from({ length: 150 }, (_, i) => ({ name: `get_item_${i}` }));
    const config = join(root, 'big.json');
    await writeFile(config, JSON.stringify({ name: 'big', tools }));
    const reference = join(root, 'reference');
    await execa('node', [bin, reference, '--config', config, '--yes', '--no-install', '--no-git']);
    const complete = await readTree(reference);

    const outcomes = new Set<string>();
    for (const delayMs of [60, 120, 180, 240, 300, 400, 600]) {
      const target = join(root, `killed-${delayMs}`);
      const child = execa('node', [bin, target, '--config', config, '--yes', '--no-install', '--no-git'], { reject: false });
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await child;
      if (existsSync(target)) {
        expect(await readTree(target)).toEqual(complete);
        outcomes.add('complete');
      } else outcomes.add('absent');
    }
    // Guard against a test that cannot fail: at least one run must have been cut short.
    expect(outcomes.has('absent')).toBe(true);
  }, 60_000);

  it('a kill -9 in the middle of moving files into a repo is rolled back by the next write or mcp-gen command', async () => {
    const dir = join(root, 'killed-mid-move');
    await mkdir(dir, { recursive: true });
    const paths = Array.from({ length: 10 }, (_, i) => `src/file-${i}.ts`);
    for (const path of paths.slice(0, 5)) {
      await mkdir(join(dir, 'src'), { recursive: true });
      await writeFile(join(dir, path), `old ${path}\n`);
    }
    await writeFile(join(dir, 'gone.txt'), 'deleted by the change\n');
    const before = await readTree(dir);
    // A process that applies 11 changes and, after staging them and moving 4 in, stops (a
    // checkpoint that never returns) until it is killed with SIGKILL.
    const script = join(root, 'apply-and-hang.mts');
    const module = fileURLToPath(new URL('../../src/apply/apply-changes.ts', import.meta.url));
    await writeFile(
      script,
      `import { applyChanges } from ${JSON.stringify(module)};
const changes = ${JSON.stringify([...paths.map((path) => ({ path, contents: `new ${path}\n` })), { path: 'gone.txt' }])};
let steps = 0;
await applyChanges(${JSON.stringify(dir)}, changes, {
  checkpoint: async () => {
    if (++steps === 10 + 4) { process.stdout.write('mid-move\\n'); await new Promise(() => {}); }
  },
});
`,
    );
    const child = execa(process.execPath, ['--import', 'tsx', script], { reject: false });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('mid-move') && resolve());
      void child.then((result) => reject(new Error(`exited before the kill: ${result.stderr}`)));
    });
    child.kill('SIGKILL');
    await child;
    const withoutStaging = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([path]) => !path.startsWith(STAGING_PREFIX)));
    const interrupted = withoutStaging(await readTree(dir));
    // Half applied: some files new, some old.
    expect(interrupted).not.toEqual(before);
    expect(Object.values(interrupted).some((text) => text.startsWith('new '))).toBe(true);
    expect(Object.values(interrupted).some((text) => text.startsWith('old '))).toBe(true);

    expect(await recoverInterruptedChanges(dir)).toBe(11);
    expect(await readTree(dir)).toEqual(before);
    expect((await readdir(dir)).filter((entry) => entry.startsWith(STAGING_PREFIX))).toEqual([]);
  }, 60_000);

  it('SIGTERM or Ctrl-C while writing removes the staging directory', async () => {
    const tools = Array.from({ length: 150 }, (_, i) => ({ name: `get_item_${i}` }));
    const config = join(root, 'big-signal.json');
    await writeFile(config, JSON.stringify({ name: 'big', tools }));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const target = join(root, `signalled-${signal}`);
      const child = execa('node', [bin, target, '--config', config, '--yes', '--no-install', '--no-git'], { reject: false });
      // Wait until staging has begun, then interrupt.
      for (let i = 0; i < 6000 && !(await readdir(root)).some((e) => e.startsWith(`.signalled-${signal}`)); i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill(signal);
      const result = await child;
      if (existsSync(target)) continue; // finished before the signal landed: complete, nothing to clean
      expect(result.exitCode).toBe(signal === 'SIGINT' ? 130 : 143);
      expect((await readdir(root)).filter((e) => e.startsWith(`.signalled-${signal}`))).toEqual([]);
    }
  }, 60_000);
});
