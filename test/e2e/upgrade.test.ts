/**
 * Repos that earlier releases wrote, with the user's own commits (a note in the README, an edit
 * to a dotted tool's file, a test of their own importing it, a tool's description rewritten as
 * that release told them to), upgraded to this generator: each installs, builds and passes its
 * tests afterwards, and doctor, the contract check and --check are then clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, cp, readFile, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import semver from 'semver';
import { tempDir } from '../support/temp-dir.js';
import { npmRun, SLOW } from './generated-repo.js';
import { GENERATOR_VERSION } from '../../src/version.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/upgrade/', import.meta.url));
const VERSIONS = readdirSync(FIXTURES).filter((v) => semver.valid(v)).sort(semver.compare);
const mcpGen = fileURLToPath(new URL('../../bin/mcp-gen.js', import.meta.url));
let root: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  root = await tempDir('cms-e2e-upgrade-');
}, SLOW);
afterAll(() => root.remove(), SLOW); // several installed repos: removing them is slow on a busy machine

describe.each(VERSIONS)('upgrading a %s repo', (version) => {
  it('upgrades cleanly, then installs, builds and passes its tests', async () => {
    const dir = join(root.path, `crm-${version}`);
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir });
    await cp(join(FIXTURES, version, 'both-api-key'), dir, { recursive: true });
    await git('init', '-q');
    await appendFile(join(dir, 'README.md'), '\n## Team notes\nOwned by the CRM team.\n');
    // The dotted tool's file: flat before 0.3.0, in its namespace folder since.
    const dotted = semver.lt(version, '0.3.0') ? 'crm-get_customer' : 'crm/get_customer';
    await appendFile(join(dir, `src/tools/${dotted}.ts`), "\nexport const owner = 'crm-team';\n");
    await writeFile(
      join(dir, 'test/owner.test.ts'),
      `import { expect, it } from 'vitest';\nimport tool, { owner } from '../src/tools/${dotted}.js';\n\nit('is owned by the CRM team', () => {\n  expect(owner).toBe('crm-team');\n  expect(tool.name).toBe('crm.get_customer');\n});\n`,
    );
    await describeBetter(dir, version);
    await git('add', '-A');
    await git('commit', '-qm', `as ${version} wrote it, plus our edits`);

    const upgrade = await execa('node', [mcpGen, 'upgrade', '-C', dir], { reject: false, all: true });
    expect(upgrade.exitCode, upgrade.all).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'contracts/tools.lock.json'), 'utf8')).tools.search_customers.description).toBe(BETTER);
    await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir });
    await npmRun(dir, 'build');
    const out = await npmRun(dir, 'test');
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed/);
    expect(out).toContain('owner.test.ts');
    await git('add', '-A');
    await git('commit', '-qm', 'upgrade');
    // Installed now: doctor runs the contract check too, and --check and a second upgrade run both.
    const doctor = await execa('node', [mcpGen, 'doctor', '-C', dir], { reject: false, all: true });
    expect(doctor.exitCode, doctor.all).toBe(0);
    const check = await execa('node', [mcpGen, 'upgrade', '--check', '-C', dir], { reject: false, all: true });
    expect(check.exitCode, check.all).toBe(0);
    expect(check.stdout).toBe(`Up to date with create-mcp-server ${GENERATOR_VERSION}.`);
    const again = await execa('node', [mcpGen, 'upgrade', '-C', dir], { reject: false, all: true });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toContain('Already up to date. The contract check and doctor pass.');
  }, SLOW);
});

const BETTER = 'Find customers by name, email or phone. Returns at most 25; changes nothing.';

/**
 * The user rewrites a tool's description in its file, as each release's RUNBOOK says. From
 * 0.2.0 on the contract check also compares descriptions, so there they bump the tool's
 * version and record it, as `npm run contract -- --update` would (the fixtures are not installed).
 */
async function describeBetter(dir: string, version: string): Promise<void> {
  const file = join(dir, 'src/tools/search_customers.ts');
  let source = (await readFile(file, 'utf8')).replace(/description: "[^"]*"/, `description: ${JSON.stringify(BETTER)}`);
  if (semver.lt(version, '0.2.0')) {
    await writeFile(file, source);
    return;
  }
  source = source.replace("version: '1.0.0'", "version: '1.0.1'");
  await writeFile(file, source);
  const lockFile = join(dir, 'contracts/tools.lock.json');
  const lock = JSON.parse(await readFile(lockFile, 'utf8'));
  lock.tools.search_customers = { ...lock.tools.search_customers, version: '1.0.1', description: BETTER };
  await writeFile(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
}
