/**
 * A repo that 0.1.0 wrote, with the user's own commits, upgraded to this generator:
 * it installs, builds and passes its tests afterwards, and --check is then clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { tempDir } from '../support/temp-dir.js';
import { npmRun, SLOW } from './generated-repo.js';

const fixture = fileURLToPath(new URL('../fixtures/upgrade/0.1.0/both-api-key/', import.meta.url));
const mcpGen = fileURLToPath(new URL('../../bin/mcp-gen.js', import.meta.url));
let root: { path: string; remove: () => Promise<void> };
let dir: string;

const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir });

beforeAll(async () => {
  root = await tempDir('cms-e2e-upgrade-');
  dir = join(root.path, 'crm');
  await cp(fixture, dir, { recursive: true });
  await git('init', '-q');
  await appendFile(join(dir, 'README.md'), '\n## Team notes\nOwned by the CRM team.\n');
  await git('add', '-A');
  await git('commit', '-qm', 'as 0.1.0 wrote it, plus our notes');
}, SLOW);
afterAll(() => root.remove());

describe('upgrading a 0.1.0 repo', () => {
  it('upgrades cleanly, then installs, builds and passes its tests', async () => {
    const upgrade = await execa('node', [mcpGen, 'upgrade', '-C', dir], { reject: false, all: true });
    expect(upgrade.exitCode, upgrade.all).toBe(0);
    await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir });
    await npmRun(dir, 'build');
    const out = await npmRun(dir, 'test');
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed/);
    await git('add', '-A');
    await git('commit', '-qm', 'upgrade');
    const check = await execa('node', [mcpGen, 'upgrade', '--check', '-C', dir], { reject: false, all: true });
    expect(check.exitCode, check.all).toBe(0);
  }, SLOW);
});
