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
import { ADVICE_LISTED, lintAdvice, lintTools } from '../../src/lint/lint-repo.js';
import { jaccard, shinglesOf } from '../../src/lint/tool-rules.js';

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

  it('sums up many findings by rule, with the first few and the command that lists them all', () => {
    // 20 tools alike: every pair overlaps; half lack a parameter description; one has no description.
    const tools = Array.from({ length: 20 }, (_, i) => ({
      name: `get_thing_${i}`,
      description: i === 0 ? '' : 'Returns the thing with this id, for listing things.',
      params: [{ name: 'id', description: i % 2 === 0 ? undefined : 'The id' }],
    }));
    const report = lintTools(tools);
    const total = report.findings.length;
    const advice = lintAdvice(report, undefined, { seeAll: 'mcp-gen lint -C repo' });
    expect(advice).toEqual([
      'Tool descriptions to improve (mcp-gen lint; models pick and call tools by them):',
      `  20 tools: 1 error, ${total - 1} warnings; by rule, each with its first:`,
      // Errors first, then the most frequent.
      '    description-missing    1 error',
      '      get_thing_0: no description: say in a sentence or two what it does and when to use it',
      '    description-overlap  171 warnings',
      "      get_thing_1: its description and get_thing_2's share 100 % of their word pairs: say what sets each apart",
      '    param-description     10 warnings',
      '      get_thing_0: parameter "id" has no description: say what it holds and its format',
      `  all ${total}: mcp-gen lint -C repo (--json to filter them)`,
    ]);
    expect(total).toBe(1 + 171 + 10); // the 19 described tools overlap pairwise
    // A few are still listed one by one.
    const few = lintAdvice(lintTools(tools.slice(1, 3)));
    expect(few.length).toBeLessThanOrEqual(ADVICE_LISTED + 2);
    expect(few).toContain('  warning get_thing_2: parameter "id" has no description: say what it holds and its format [param-description]');
  });

  it('says a long description lacks its closing stop, not that it is short', () => {
    const long = `Returns the ${Array.from({ length: 300 }, (_, i) => `field${i} value`).join(' and ')}`;
    const report = lintTools([
      { name: 'get_report', description: long, params: [] },
      { name: 'get_summary', description: 'Returns the summary', params: [] },
    ]);
    const short = report.findings.filter((f) => f.rule === 'description-short').map((f) => [f.tool, f.message]);
    expect(short).toEqual([
      ['get_report', 'the description does not end its last sentence: close it with ".", "!" or "?"'],
      ['get_summary', 'the description is shorter than a sentence (3 words): say what it does, what it returns and when to use it'],
    ]);
    expect(short[0]![1]).not.toContain('shorter');
  });

  it('finds exactly the overlapping pairs a comparison of every pair finds, in the same order', () => {
    // Descriptions drawn from a small vocabulary, so that many pairs share word pairs.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const words = ['list', 'the', 'issues', 'of', 'a', 'repository'];
    const tools = Array.from({ length: 120 }, (_, i) => ({
      name: `get_thing_${i}`,
      description: i % 17 === 0 ? '' : Array.from({ length: 1 + random(6) }, () => words[random(words.length)]).join(' '),
      params: [],
    }));
    const expected: string[] = [];
    for (let i = 0; i < tools.length; i++) {
      for (let j = i + 1; j < tools.length; j++) {
        const similarity = jaccard(shinglesOf(tools[i]!.description), shinglesOf(tools[j]!.description));
        if (similarity > 0.5) expected.push(`${tools[i]!.name}/${tools[j]!.name} ${Math.round(similarity * 100)}`);
      }
    }
    const found = lintTools(tools)
      .findings.filter((f) => f.rule === 'description-overlap')
      .map((f) => `${f.tool}/${f.other} ${/share (\d+) %/.exec(f.message)![1]}`);
    expect(expected.length).toBeGreaterThan(100);
    expect(found).toEqual(expected);
  });
});
