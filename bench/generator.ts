/**
 * Generator benchmarks: wall time of the real commands, as a user runs them.
 *
 *   npm run bench            (writes bench/RESULTS.md)
 *
 * Each case runs N times after a warm-up; we report the median and the ratio to a bare
 * `node` start measured in the same run (the floor any CLI pays), so figures from different
 * machines compare.
 *
 * The OpenAPI import is timed on the largest document at hand, GitHub's REST API
 * (api.github.com.json from @octokit/openapi, 1,223 operations): the whole document is read,
 * validated and dereferenced; its four largest everyday tags (repos, actions, issues, pulls)
 * become the tools, since a server holds at most 500. Both as a new repo (create-mcp-server
 * --openapi --no-install) and as a re-import into it (mcp-gen import openapi --dry-run).
 *
 * The commands keep V8's compiled code of themselves between runs (bin/load-program.cjs), here in
 * a folder of the bench's own, which the warm-up run fills. A user's first run of a version (and
 * every run on a CI machine that starts empty) compiles instead: the rows "first run" time that,
 * each run with an empty cache folder.
 */
import { execa } from 'execa';
import { accessSync, constants } from 'node:fs';
import { cp, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const create = fileURLToPath(new URL('../bin/create-mcp-server.js', import.meta.url));
const mcpGen = fileURLToPath(new URL('../bin/mcp-gen.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const GITHUB_DOCUMENT = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
const GITHUB_TAGS = ['repos', 'actions', 'issues', 'pulls'];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// The rows issue 17's targets name (TARGETS below).
const createRow = (tools: number) => `create-mcp-server --no-install, ${tools} tools`;
const ADD_TOOL_ROW = 'mcp-gen add-tool on a 50-tool repo';
const UPGRADE_CHECK_ROW = 'mcp-gen upgrade --check on a 50-tool repo (up to date)';

export interface BenchRow {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  ratio: number;
}

async function time(run: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    await before?.();
    const started = performance.now();
    await run();
    if (i > 0) samples.push(performance.now() - started); // the first run warms caches
  }
  return samples.sort((a, b) => a - b);
}

/** The spec of the generator cases: `tools` tools, every third a write tool (bench/generator-compare.ts uses it too). */
export function benchSpec(tools: number): string {
  return JSON.stringify({
    name: `bench-${tools}`,
    transport: 'both',
    auth: 'api-key',
    tools: Array.from({ length: tools }, (_, i) => ({
      name: `${i % 3 === 2 ? 'create' : 'search'}_thing_${i}`,
      access: i % 3 === 2 ? 'write' : 'read',
    })),
  });
}

/**
 * Where the commands write: BENCH_DIR, else a RAM-backed folder where there is one (/dev/shm).
 * A disk's own cost is not the generator's, and it varies: on this machine's virtual disk one
 * file created took from ~0.03 to ~1.4 ms from one hour to the next, and a create writes ~330.
 */
export function benchDir(): { dir: string; label: string } {
  if (process.env.BENCH_DIR) return { dir: process.env.BENCH_DIR, label: `${process.env.BENCH_DIR} (BENCH_DIR)` };
  try {
    accessSync('/dev/shm', constants.W_OK);
    return { dir: '/dev/shm', label: '/dev/shm, in memory' };
  } catch {
    return { dir: tmpdir(), label: `${tmpdir()}, the temporary directory` };
  }
}

export async function benchGenerator(): Promise<BenchRow[]> {
  const work = await mkdtemp(join(benchDir().dir, 'cms-bench-'));
  const warm = { env: { NODE_COMPILE_CACHE: join(work, 'compile-cache'), NODE_DISABLE_COMPILE_CACHE: undefined } };
  let folders = 0;
  const cold = () => ({ env: { NODE_COMPILE_CACHE: join(work, `compile-cache-${folders++}`), NODE_DISABLE_COMPILE_CACHE: undefined } });
  try {
    const rows: Array<Omit<BenchRow, 'ratio'>> = [];
    const record = (name: string, samples: number[]) =>
      rows.push({ name, medianMs: samples[Math.floor(samples.length / 2)]!, minMs: samples[0]!, maxMs: samples[samples.length - 1]! });

    record('baseline: node -e "" (process start)', await time(() => execa('node', ['-e', ''])));
    for (const tools of [5, 50]) {
      const config = join(work, `spec-${tools}.json`);
      await writeFile(config, benchSpec(tools));
      let n = 0;
      record(
        createRow(tools),
        await time(() => execa('node', [create, join(work, `repo-${tools}-${n++}`), '--config', config, '--yes', '--no-install', '--no-git'], warm)),
      );
    }
    const config50 = join(work, 'spec-50.json');
    let fresh = 0;
    record(
      `${createRow(50)}, first run (no compile cache)`,
      await time(() => execa('node', [create, join(work, `fresh-${fresh++}`), '--config', config50, '--yes', '--no-install', '--no-git'], cold())),
    );
    // Every add-tool starts from the same 50-tool repo (a fresh copy of it), and the upgrade
    // checks run on a repo no add-tool touched: one up to date with this generator.
    const repo = join(work, 'repo-50-0');
    const pristine = join(work, 'repo-50-pristine');
    await cp(repo, pristine, { recursive: true });
    const edited = join(work, 'repo-50-add-tool');
    let added = 0;
    record(
      ADD_TOOL_ROW,
      await time(
        () => execa('node', [mcpGen, 'add-tool', `get_extra_${added++}`, '-C', edited, '--yes'], warm),
        async () => {
          await rm(edited, { recursive: true, force: true });
          await cp(pristine, edited, { recursive: true });
        },
      ),
    );
    record(UPGRADE_CHECK_ROW, await time(() => execa('node', [mcpGen, 'upgrade', '--check', '-C', repo], warm)));
    // As a generated repo's CI runs it, on a machine that starts empty.
    record(`${UPGRADE_CHECK_ROW}, first run (no compile cache)`, await time(() => execa('node', [mcpGen, 'upgrade', '--check', '-C', repo], cold())));
    record('mcp-gen upgrade on a 50-tool repo (up to date)', await time(() => execa('node', [mcpGen, 'upgrade', '--allow-dirty', '-C', repo], warm)));

    const { operations, config } = await githubImport(work);
    let imports = 0;
    let listed = '';
    const created = await time(async () => {
      const run = await execa('node', [create, join(work, `github-${imports++}`), '--config', config, '--openapi', GITHUB_DOCUMENT, '--yes', '--no-install', '--no-git'], warm);
      // Over openapi.catalogThreshold the import writes a catalog: its first line says so.
      const catalog = /^Mode: catalog \((\d+) operations selected/m.exec(run.stdout);
      listed = catalog ? `a catalog of ${catalog[1]} operations` : run.stdout.slice(0, run.stdout.indexOf(' from '));
    });
    record(`create-mcp-server --openapi --no-install: GitHub's REST API, ${operations} operations, ${listed} (tags ${GITHUB_TAGS.join(', ')})`, created);
    const importRepo = join(work, 'github-0');
    record('mcp-gen import openapi --dry-run, the same again', await time(() => execa('node', [mcpGen, 'import', 'openapi', '--dry-run', '-C', importRepo], warm)));
    const floor = rows[0]!.medianMs;
    return rows.map((r) => ({ ...r, ratio: r.medianMs / floor }));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The spec that selects GitHub's tags, and how many operations the document holds. */
async function githubImport(work: string): Promise<{ operations: number; config: string }> {
  const document = JSON.parse(await readFile(GITHUB_DOCUMENT, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.values(document.paths).reduce((sum, item) => sum + METHODS.filter((m) => item[m] !== undefined).length, 0);
  const config = join(work, 'github.json');
  await writeFile(config, JSON.stringify({ name: 'github-bench', transport: 'http', auth: 'api-key', openapi: { include: { tags: GITHUB_TAGS } } }));
  return { operations, config };
}

/**
 * Issue 17's generator targets: median wall times measured where a bare node start took 94 ms.
 * Machines differ, so each is checked as that ratio to the node start of the same run.
 */
const TARGET_NODE_START_MS = 94;
const TARGETS: ReadonlyArray<{ row: string; ms: number }> = [
  { row: createRow(50), ms: 300 },
  { row: ADD_TOOL_ROW, ms: 250 },
  { row: UPGRADE_CHECK_ROW, ms: 400 },
];

export function generatorTargets(rows: BenchRow[]): string {
  const lines = ['| target | as a ratio to node start | measured | met |', '|---|---:|---:|:---:|'];
  for (const target of TARGETS) {
    const row = rows.find((r) => r.name === target.row);
    if (!row) throw new Error(`no generator row "${target.row}" to check its target against`);
    const limit = target.ms / TARGET_NODE_START_MS;
    lines.push(
      `| ${target.row} ≤ ${target.ms} ms (at a ${TARGET_NODE_START_MS} ms node start) | ≤ ${limit.toFixed(2)}× | ${row.ratio.toFixed(2)}× (${row.medianMs.toFixed(0)} ms) | ${row.ratio <= limit ? 'yes' : 'NO'} |`,
    );
  }
  return lines.join('\n');
}

export function generatorTable(rows: BenchRow[]): string {
  const lines = ['| case | median | min | max | × node start |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.name} | ${r.medianMs.toFixed(0)} ms | ${r.minMs.toFixed(0)} ms | ${r.maxMs.toFixed(0)} ms | ${r.ratio.toFixed(2)} |`);
  return lines.join('\n');
}
