/**
 * `mcp-gen lint` and the advice create / add-tool print: the rules of
 * templates/base/scripts/lint-tools/rules.ts (the module generated repos carry, which the
 * generator compiles through src/lint/tool-rules.ts) over mcp-gen.json and the tool files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

let root: { path: string; remove: () => Promise<void> };
let n = 0;
beforeAll(async () => {
  root = await tempDir('cms-lint-');
});
afterAll(() => root.remove());

async function repoWith(...tools: string[]): Promise<{ dir: string; stderr: string }> {
  const dir = join(root.path, `repo-${++n}`);
  const run = await createCli(dir, '--yes', '--no-install', '--no-git', ...tools.flatMap((tool) => ['--tool', tool]));
  expect(run.code, run.stderr).toBe(0);
  return { dir, stderr: run.stderr };
}

describe('mcp-gen lint', () => {
  it('is the module generated repos carry, not a copy', async () => {
    expect(await readlink(join(__dirname, '../../src/lint/tool-rules.ts'))).toBe('../../templates/base/scripts/lint-tools/rules.ts');
  });

  it('passes the default tools clean, and create prints nothing to improve', async () => {
    const dir = join(root.path, `repo-${++n}`);
    const created = await createCli(dir, '--yes', '--no-install', '--no-git');
    expect(created.code).toBe(0);
    expect(created.stderr).not.toContain('Tool descriptions to improve');
    const run = await mcpGenCli('lint', '-C', dir);
    expect(run).toMatchObject({ code: 0, stdout: '3 tools: descriptions look good.' });
  });

  it('reports warnings with exit 0 (1 with --strict), reads the tool files, and prints JSON', async () => {
    const { dir, stderr } = await repoWith('customers:read', 'create_note:write');
    // create already said what to improve.
    expect(stderr).toContain('Tool descriptions to improve');
    expect(stderr).toContain('warning customers: the name should start with a verb');

    const run = await mcpGenCli('lint', '-C', dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('warning customers: the name should start with a verb saying what it does (e.g. search_customers), not "customers" [name-verb-first]');
    expect((await mcpGenCli('lint', '-C', dir, '--strict')).code).toBe(1);

    // The user rewrote a description in the tool file to nothing useful: the file wins over mcp-gen.json.
    const file = join(dir, 'src/tools/create_note.ts');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^ {2}description: .*,$/m, "  description: '',"));
    const json = await mcpGenCli('lint', '-C', dir, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ tools: 2, errors: 1 });
    expect(report.findings).toContainEqual({ severity: 'error', rule: 'description-missing', tool: 'create_note', message: expect.any(String) });
  });

  it('refuses a directory that is not a generated repo with exit 2', async () => {
    const run = await mcpGenCli('lint', '-C', root.path);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no mcp-gen.json');
  });

  it('add-tool prints what to improve about the new tool only', async () => {
    const { dir } = await repoWith('customers:read');
    const run = await mcpGenCli('add-tool', 'get_invoice', '-C', dir, '--yes', '--description', 'Invoice.', '--param', 'id:string');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning get_invoice: the description is shorter than a sentence');
    expect(run.stderr).toContain('warning get_invoice: parameter "id" has no description');
    expect(run.stderr).not.toContain('warning customers');
  });
});
