/**
 * Hostile input to the generator itself:
 *
 * - a fuzz of specs (--config) and flags: every run either writes a complete repo (every file
 *   its manifest lists, byte for byte, and every .ts and .json file it wrote parses) or refuses
 *   with exit 2 and leaves the target exactly as it was; never exit 1, never a stack trace,
 *   never a staging directory left behind;
 * - kill -9 at random points of `mcp-gen upgrade` and of `create-mcp-server --force` into an
 *   existing repo (over the whole run, during staging, and in the middle of moving files in):
 *   once the next mcp-gen command has run (it rolls back a write a killed process left half
 *   done), the repo is either exactly as before or exactly as a completed run leaves it.
 *
 * STRESS_GENERATOR_SEED replays a fuzz run (the seed is printed).
 */
import { execa } from 'execa';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STAGING_PREFIX } from '../../src/apply/apply-changes.js';
import { HANG_MS } from '../e2e/generated-repo.js';
import { readTree, tempDir } from '../support/temp-dir.js';

const create = fileURLToPath(new URL('../../bin/create-mcp-server.js', import.meta.url));
const mcpGen = fileURLToPath(new URL('../../bin/mcp-gen.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/upgrade/', import.meta.url));
const SEED = Number(process.env.STRESS_GENERATOR_SEED ?? Math.floor(Math.random() * 2 ** 31));
const FUZZ_RUNS = 40;

let root: string;
let removeRoot: () => Promise<void>;
beforeAll(async () => {
  ({ path: root, remove: removeRoot } = await tempDir('cms-gen-hostile-'));
});
afterAll(() => removeRoot?.());

/** Every file under dir except .git and staging directories, as path -> sha256. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name.startsWith(STAGING_PREFIX)) continue;
      const abs = join(d, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else out[relative(dir, abs)] = createHash('sha256').update(await readFile(abs)).digest('hex');
    }
  };
  if (existsSync(dir)) await walk(dir);
  return out;
}

async function leftovers(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir)).filter((entry) => entry.startsWith(STAGING_PREFIX)) : [];
}

async function gitRepo(dir: string): Promise<void> {
  await execa('git', ['init', '-q'], { cwd: dir });
  await execa('git', ['add', '-A'], { cwd: dir });
  await execa('git', ['-c', 'user.email=stress@example.com', '-c', 'user.name=stress', 'commit', '-qm', 'before'], { cwd: dir });
}

// ---------------------------------------------------------------------------------------------
// Spec and flag fuzz

const hostileText = fc.constantFrom(
  'A normal description.',
  '*/ process.exit(1); /*',
  "'); require('child_process').execSync('false'); ('",
  '`${process.env.HOME}` and ${"x"}',
  '{{project.name}} }}{{#each}}',
  '<script>alert(1)</script>',
  '\\u0000 \\ backslash \\\\ "quotes"',
  'line one\r\nline two\n\n# a heading\n```\ncode\n```',
  '\u2028\u2029 separators',
  '$(rm -rf /) && echo pwned',
  'é 中文 😀',
);
const paramArb = fc.record(
  {
    name: fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,12}$/), fc.constantFrom('class', 'constructor', '__proto__', 'bad name', '', '1abc', 'approvalId')),
    type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'string[]', 'date', 'object'),
    description: hostileText,
    required: fc.boolean(),
  },
  { requiredKeys: ['name', 'type'] },
);
const toolArb = fc.record(
  {
    name: fc.oneof(
      fc.stringMatching(/^(get|search|create|list|update)_[a-z][a-z0-9_]{0,16}$/),
      fc.constantFrom('crm.get_customer', 'x'.repeat(128), 'x'.repeat(129), 'bad name', '', 'über', 'default', 'constructor', '__proto__', 'a-b.c_d'),
    ),
    access: fc.constantFrom('read', 'write', 'admin'),
    title: hostileText,
    description: hostileText,
    params: fc.array(paramArb, { maxLength: 4 }),
    rateLimit: fc.oneof(fc.record({ perMinute: fc.integer({ min: -5, max: 2_000_000 }) }), fc.constant('lots')),
    scopes: fc.array(fc.constantFrom('tools:read', 'crm.write', 'a b', 'x"y', ''), { maxLength: 3 }),
    approval: fc.constantFrom('none', 'client', 'human', 'maybe'),
    version: fc.constantFrom('1.0.0', '2.0.0-beta.1', 'v1', '1.0'),
    backend: fc.constantFrom('sample', 'postgres', 'http', 'mysql'),
  },
  { requiredKeys: ['name'] },
);
const specArb = fc.record(
  {
    name: fc.oneof(fc.constantFrom('crm-mcp', '@acme/crm-mcp', 'a'), fc.string({ maxLength: 12 }), fc.constantFrom('Bad Name', '..', 'node_modules', '-x', 'x'.repeat(220))),
    title: hostileText,
    description: hostileText,
    transport: fc.constantFrom('stdio', 'http', 'both', 'grpc'),
    auth: fc.constantFrom('none', 'api-key', 'jwt', 'oauth', 'kerberos'),
    backends: fc.array(fc.record({ kind: fc.constantFrom('sample', 'postgres', 'http', 'mysql') }), { maxLength: 3 }),
    tools: fc.array(toolArb, { maxLength: 6 }),
    unknownField: fc.constant(true),
  },
  { requiredKeys: [] },
);
/** Specs whose structure is valid, carrying hostile text wherever text goes. */
const validSpecArb = fc
  .record({
    name: fc.constantFrom('crm-mcp', '@acme/crm-mcp', 'warehouse', 'a1'),
    title: hostileText,
    description: hostileText,
    transport: fc.constantFrom('stdio', 'http', 'both'),
    auth: fc.constantFrom('none', 'api-key', 'jwt', 'oauth'),
    backends: fc.subarray(['sample', 'postgres', 'http'], { minLength: 1 }),
    tools: fc.uniqueArray(
      fc.record({
        name: fc.stringMatching(/^(get|search|create|list|update)_[a-z][a-z0-9_]{0,16}$/),
        access: fc.constantFrom('read', 'write'),
        title: hostileText,
        description: hostileText,
        params: fc.uniqueArray(
          fc.record({ name: fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/), type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'string[]'), description: hostileText, required: fc.boolean() }),
          { maxLength: 4, selector: (param) => param.name },
        ),
        rateLimit: fc.record({ perMinute: fc.integer({ min: 1, max: 1_000_000 }) }),
        scopes: fc.uniqueArray(fc.constantFrom('tools:read', 'crm.write', 'notes:admin'), { minLength: 1, maxLength: 2 }),
        version: fc.constantFrom('1.0.0', '2.1.0', '3.0.0-beta.1'),
      }),
      { minLength: 1, maxLength: 5, selector: (tool) => tool.name },
    ),
  })
  .map((spec) => ({
    ...spec,
    backends: spec.backends.map((kind) => ({ kind })),
    tools: spec.tools.map((tool, i) => ({ ...tool, backend: spec.backends[i % spec.backends.length]! })),
  }));

type FuzzSpec = Partial<{
  name: string;
  title: string;
  description: string;
  transport: string;
  auth: string;
  backends: Array<{ kind: string }>;
  tools: Array<Record<string, unknown>>;
  unknownField: boolean;
}>;

/** The same intent as flags, plus junk now and then. */
function asFlags(spec: FuzzSpec, junk: number): string[] {
  const args: string[] = [];
  if (spec.name !== undefined) args.push('--name', spec.name);
  if (spec.description !== undefined) args.push('--description', spec.description);
  if (spec.transport !== undefined) args.push('--transport', spec.transport);
  if (spec.auth !== undefined) args.push('--auth', spec.auth);
  for (const backend of spec.backends ?? []) args.push('--backend', backend.kind);
  for (const tool of spec.tools ?? []) args.push('--tool', `${String(tool.name)}${tool.access ? `:${String(tool.access)}` : ''}`);
  const junkArgs = [[], ['--bogus'], ['--tool'], ['--tool', ':write'], ['--tool', 'a:b:c'], ['--config', '/nonexistent/spec.json'], ['--transport'], ['extra-positional']];
  return [...args, ...junkArgs[junk % junkArgs.length]!];
}

/** Every .ts file parses as TypeScript, every .json file as JSON. */
function syntaxProblems(files: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('.json')) {
      try {
        JSON.parse(text);
      } catch (error) {
        problems.push(`${path}: ${(error as Error).message}`);
      }
    } else if (path.endsWith('.ts')) {
      const output = ts.transpileModule(text, { fileName: path, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext } });
      for (const diagnostic of output.diagnostics ?? []) problems.push(`${path}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    }
  }
  return problems;
}

/** A repo create-mcp-server reports as written: its manifest's files all there, byte for byte. */
async function completeness(dir: string): Promise<string[]> {
  const files = await readTree(dir);
  const manifestText = files['.mcp-gen/manifest.json'];
  if (!manifestText) return ['no .mcp-gen/manifest.json'];
  const manifest = JSON.parse(manifestText) as { files: Record<string, { sha256: string }> };
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(manifest.files)) {
    const text = files[path];
    if (text === undefined) problems.push(`missing ${path}`);
    else if (createHash('sha256').update(text).digest('hex') !== entry.sha256) problems.push(`${path} differs from its manifest hash`);
  }
  if (!files['mcp-gen.json'] || !files['package.json']) problems.push('no mcp-gen.json or package.json');
  return [...problems, ...syntaxProblems(files)];
}

describe(`generator fuzz: specs and flags (${FUZZ_RUNS} runs, seed ${SEED})`, () => {
  it('writes a complete repo or refuses with exit 2, never a partial one', async () => {
    const cases = fc.sample(
      fc.tuple(fc.oneof({ arbitrary: validSpecArb, weight: 3 }, { arbitrary: specArb, weight: 2 }), fc.constantFrom('config', 'config', 'flags'), fc.nat(20), fc.constantFrom('absent', 'empty', 'non-empty', 'non-empty+force')),
      { numRuns: FUZZ_RUNS, seed: SEED },
    );
    const outcomes: Record<string, number> = {};
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const [spec, mode, junk, targetState] = cases[index]!;
        const target = join(root, `fuzz-${index}`);
        if (targetState !== 'absent') await mkdir(target, { recursive: true });
        if (targetState.startsWith('non-empty')) await writeFile(join(target, 'NOTES.md'), 'my own file\n');
        const before = await snapshot(target);
        let args: string[];
        if (mode === 'config') {
          const config = join(root, `fuzz-${index}.json`);
          await writeFile(config, JSON.stringify(spec));
          args = ['--config', config];
        } else args = asFlags(spec as FuzzSpec, junk);
        if (targetState === 'non-empty+force') args.push('--force');
        const run = await execa('node', [create, target, '--yes', '--no-install', '--no-git', ...args], { reject: false, all: true, timeout: 120_000, env: { CI: 'true' } });
        const label = `case ${index} (${mode}, ${targetState}, exit ${run.exitCode})`;
        outcomes[`exit ${run.exitCode}`] = (outcomes[`exit ${run.exitCode}`] ?? 0) + 1;
        const problems: string[] = [];
        if (run.exitCode !== 0 && run.exitCode !== 2) problems.push(`exit ${run.exitCode}`);
        if (/\n\s+at [\w.<>[\]]+ \(|\n\s+at file:/.test(run.all ?? '')) problems.push('a stack trace in the output');
        const stray = [...(await leftovers(target)), ...(await readdir(root)).filter((entry) => entry.startsWith(`.fuzz-${index}`))];
        if (stray.length > 0) problems.push(`staging left behind: ${stray.join(', ')}`);
        if (run.exitCode === 0) problems.push(...(await completeness(target)));
        else {
          const after = await snapshot(target);
          if (JSON.stringify(after) !== JSON.stringify(before)) problems.push('the target changed although nothing was written');
          if (targetState === 'absent' && existsSync(target)) problems.push('the target was created');
        }
        if (problems.length > 0) failures.push(`${label}: ${problems.slice(0, 5).join('; ')}\n  args: ${JSON.stringify(args).slice(0, 400)}\n  output: ${(run.all ?? '').slice(0, 600)}`);
        await rm(target, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: 3 }, worker));
    console.log(`generator fuzz, seed ${SEED}: ${JSON.stringify(outcomes)}`);
    expect(failures, `seed ${SEED}`).toEqual([]);
    // A fuzz that only ever refuses proves little: some runs must have written a repo.
    expect(outcomes['exit 0'] ?? 0).toBeGreaterThan(0);
    expect(outcomes['exit 2'] ?? 0).toBeGreaterThan(0);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------
// kill -9 during writes

type KillPoint = 'anywhere' | 'staging' | 'moving';

/**
 * Starts `command`, kills it with SIGKILL at `point`: a random moment of the run, a random
 * moment after its staging directory appears in `target`, or just after its journal appears
 * (files are being moved in). Returns whether the target was half written before recovery.
 */
async function killAt(command: string[], target: string, point: KillPoint, states: { before: Record<string, string>; after: Record<string, string> }): Promise<'partial' | 'whole'> {
  const child = execa('node', command, { reject: false });
  const started = Date.now();
  const staging = async () => (await leftovers(target))[0];
  if (point === 'anywhere') await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_500));
  else {
    // Waits for the signal (the staging directory, the journal); the bound only catches a hang.
    while (child.exitCode === null && Date.now() - started < HANG_MS) {
      const dir = await staging();
      if (dir && (point === 'staging' || existsSync(join(target, dir, 'journal.json')))) break;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await new Promise((resolve) => setTimeout(resolve, point === 'staging' ? Math.random() * 300 : Math.random() * 5));
  }
  child.kill('SIGKILL');
  await child;
  const now = JSON.stringify(await snapshot(target));
  return now === JSON.stringify(states.before) || now === JSON.stringify(states.after) ? 'whole' : 'partial';
}

describe('kill -9 while the generator writes into an existing repo', () => {
  const points: KillPoint[] = ['anywhere', 'anywhere', 'anywhere', 'staging', 'staging', 'staging', 'moving', 'moving', 'moving', 'moving', 'moving', 'moving'];

  it('mcp-gen upgrade: after the next mcp-gen command the repo is as before or fully upgraded', async () => {
    const base = join(root, 'upgrade-base');
    await cp(join(fixtures, '0.1.0', 'both-api-key'), base, { recursive: true });
    await gitRepo(base);
    const reference = join(root, 'upgrade-reference');
    await cp(base, reference, { recursive: true });
    const upgraded = await execa('node', [mcpGen, 'upgrade', '-C', reference], { reject: false, all: true });
    expect(upgraded.exitCode, upgraded.all).toBe(0);
    const states = { before: await snapshot(base), after: await snapshot(reference) };
    expect(states.after).not.toEqual(states.before);

    const seen: string[] = [];
    for (const [i, point] of points.entries()) {
      const target = join(root, `upgrade-killed-${i}`);
      await cp(base, target, { recursive: true });
      const interrupted = await killAt([mcpGen, 'upgrade', '-C', target], target, point, states);
      // The next command (any of them reads the repo state first) rolls an interrupted write back.
      const doctor = await execa('node', [mcpGen, 'doctor', '--no-contract', '-C', target], { reject: false, all: true });
      const now = await snapshot(target);
      const outcome = JSON.stringify(now) === JSON.stringify(states.before) ? 'before' : JSON.stringify(now) === JSON.stringify(states.after) ? 'after' : 'PARTIAL';
      seen.push(`${point}: ${interrupted} -> ${outcome}`);
      expect(outcome, `${point} kill left a partial upgrade even after recovery:\n${doctor.all}`).not.toBe('PARTIAL');
      expect(await leftovers(target)).toEqual([]);
      await rm(target, { recursive: true, force: true });
    }
    console.log(`upgrade kills: ${seen.join(', ')}`);
    // The test must have killed some runs in the middle of moving files in.
    expect(seen.some((line) => line.includes('partial ->'))).toBe(true);
  }, 600_000);

  it('create-mcp-server --force into an existing repo: after the next mcp-gen command it is as before or complete', async () => {
    const base = join(root, 'force-base');
    await cp(join(fixtures, '0.1.0', 'stdio-none'), base, { recursive: true });
    await writeFile(join(base, 'MY-NOTES.md'), 'kept by --force\n');
    const spec = join(fixtures, 'specs', 'both-api-key.json');
    const command = (target: string) => [create, target, '--config', spec, '--yes', '--force', '--no-install', '--no-git'];
    const reference = join(root, 'force-reference');
    await cp(base, reference, { recursive: true });
    const created = await execa('node', command(reference), { reject: false, all: true });
    expect(created.exitCode, created.all).toBe(0);
    const states = { before: await snapshot(base), after: await snapshot(reference) };
    expect(states.after['MY-NOTES.md']).toBe(states.before['MY-NOTES.md']);

    const seen: string[] = [];
    for (const [i, point] of points.entries()) {
      const target = join(root, `force-killed-${i}`);
      await cp(base, target, { recursive: true });
      const interrupted = await killAt(command(target), target, point, states);
      await execa('node', [mcpGen, 'doctor', '--no-contract', '-C', target], { reject: false });
      const now = JSON.stringify(await snapshot(target));
      const outcome = now === JSON.stringify(states.before) ? 'before' : now === JSON.stringify(states.after) ? 'after' : 'PARTIAL';
      seen.push(`${point}: ${interrupted} -> ${outcome}`);
      expect(outcome, `${point} kill left a partial repo even after recovery`).not.toBe('PARTIAL');
      expect(await leftovers(target)).toEqual([]);
      await rm(target, { recursive: true, force: true });
    }
    console.log(`create --force kills: ${seen.join(', ')}`);
    expect(seen.some((line) => line.includes('partial ->'))).toBe(true);
  }, 600_000);
});
