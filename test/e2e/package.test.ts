/**
 * The package as npm publishes it: `npm pack` of this repo, run the way users run it
 * (`npm exec --package <tarball> -- create-mcp-server …`, which is what `npx create-mcp-server`
 * does with the published package). Catches a file missing from `files`, a build artefact not
 * shipped, or a path that only resolves inside this repo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { tempDir } from '../support/temp-dir.js';
import { SLOW } from './generated-repo.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let work: { path: string; remove: () => Promise<void> };
let tarball: string;
let packed: string[];

beforeAll(async () => {
  work = await tempDir('cms-e2e-package-');
  // `npm test` has just built dist/; packing without scripts ships exactly that build.
  const pack = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work.path], { cwd: root });
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work.path, info!.filename);
  packed = info!.files.map((f) => f.path);
}, SLOW);
afterAll(() => work.remove(), SLOW);

const run = (...args: string[]) =>
  execa('npm', ['exec', '--yes', '--package', tarball, '--', ...args], { cwd: work.path, all: true, reject: false, env: { CI: 'true' } });

describe('the published package', () => {
  it('ships the launchers, the build, the templates and the schema, and nothing of the repo besides', () => {
    expect(packed).toEqual(expect.arrayContaining(['bin/create-mcp-server.js', 'bin/mcp-gen.js', 'bin/load-program.cjs', 'dist/bundle/create-program.cjs', 'dist/bundle/mcp-gen-program.cjs', 'dist/render/precompiled/base.cjs', 'dist/render/templates-manifest.json', 'schema/mcp-gen.schema.json', 'package.json', 'README.md']));
    expect(packed.some((p) => p.startsWith('templates/tool/'))).toBe(true);
    expect(packed.filter((p) => /^(src|test|bench|scripts|\.ci)\//.test(p) || p.includes('node_modules/'))).toEqual([]);
  });

  it('generates a repo with create-mcp-server, and mcp-gen works inside it', async () => {
    const version = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version as string;
    expect((await run('create-mcp-server', '--version')).stdout.trim()).toBe(version);
    const created = await run('create-mcp-server', 'crm', '--yes', '--no-install', '--no-git', '--tool', 'crm.search_accounts:read');
    expect(created.exitCode, created.all).toBe(0);
    const spec = JSON.parse(await readFile(join(work.path, 'crm', 'mcp-gen.json'), 'utf8'));
    expect(spec.generator.version).toBe(version);
    expect(await readFile(join(work.path, 'crm', 'src/tools/crm/search_accounts.ts'), 'utf8')).toContain('defineTool');
    const doctor = await run('mcp-gen', 'doctor', '--no-contract', '-C', 'crm');
    expect(doctor.exitCode, doctor.all).toBe(0);
    const added = await run('mcp-gen', 'add-tool', 'crm.get_account', '--yes', '-C', 'crm');
    expect(added.exitCode, added.all).toBe(0);
    expect(await readFile(join(work.path, 'crm', 'src/tools/registry.ts'), 'utf8')).toContain("'./crm/get_account.js'");
  }, SLOW);
});
