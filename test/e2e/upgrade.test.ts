/**
 * Repos that earlier releases wrote, with the user's own commits (a note in the README, an edit
 * to a dotted tool's file, a test of their own importing it), upgraded to this generator: each
 * installs, builds and passes its tests afterwards, and --check is then clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, cp, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import semver from 'semver';
import { tempDir } from '../support/temp-dir.js';
import { npmRun, SLOW } from './generated-repo.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/upgrade/', import.meta.url));
const VERSIONS = readdirSync(FIXTURES).filter((v) => semver.valid(v)).sort(semver.compare);
const mcpGen = fileURLToPath(new URL('../../bin/mcp-gen.js', import.meta.url));
let root: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  root = await tempDir('cms-e2e-upgrade-');
}, SLOW);
afterAll(() => root.remove());

describe.each(VERSIONS)('upgrading a %s repo', (version) => {
  it('upgrades cleanly, then installs, builds and passes its tests', async () => {
    const dir = join(root.path, `crm-${version}`);
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir });
    await cp(join(FIXTURES, version, 'both-api-key'), dir, { recursive: true });
    await git('init', '-q');
    await appendFile(join(dir, 'README.md'), '\n## Team notes\nOwned by the CRM team.\n');
    await appendFile(join(dir, 'src/tools/crm-get_customer.ts'), "\nexport const owner = 'crm-team';\n");
    await writeFile(
      join(dir, 'test/owner.test.ts'),
      "import { expect, it } from 'vitest';\nimport tool, { owner } from '../src/tools/crm-get_customer.js';\n\nit('is owned by the CRM team', () => {\n  expect(owner).toBe('crm-team');\n  expect(tool.name).toBe('crm.get_customer');\n});\n",
    );
    await git('add', '-A');
    await git('commit', '-qm', `as ${version} wrote it, plus our edits`);

    const upgrade = await execa('node', [mcpGen, 'upgrade', '-C', dir], { reject: false, all: true });
    expect(upgrade.exitCode, upgrade.all).toBe(0);
    await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir });
    await npmRun(dir, 'build');
    const out = await npmRun(dir, 'test');
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed/);
    expect(out).toContain('owner.test.ts');
    await git('add', '-A');
    await git('commit', '-qm', 'upgrade');
    const check = await execa('node', [mcpGen, 'upgrade', '--check', '-C', dir], { reject: false, all: true });
    expect(check.exitCode, check.all).toBe(0);
  }, SLOW);
});
