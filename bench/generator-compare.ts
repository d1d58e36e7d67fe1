/**
 * Two builds of the generator side by side, on a shared machine:
 *
 *   npx tsx bench/generator-compare.ts <root of the other build>   (e.g. a worktree of main, built)
 *
 * Runs the 50-tool cases of bench/generator.ts with each build in turn (alternating which goes
 * first), BENCH_RUNS times each after a warm-up, and prints the medians of wall time and of CPU
 * time (the command's user + system time, which other work on the machine inflates less than
 * wall time) as a markdown table, with the load average before and after.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchDir, benchSpec } from './generator.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const before = process.argv[2];
if (!before) throw new Error('usage: tsx bench/generator-compare.ts <root of the other build>');
const builds = { before: resolve(before), after: fileURLToPath(new URL('..', import.meta.url)) };
type Build = keyof typeof builds;

const work = mkdtempSync(join(benchDir().dir, 'cms-compare-'));
// Loaded into each command: writes its CPU time as it exits.
const cpuHook = join(work, 'cpu.cjs');
writeFileSync(cpuHook, "process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(process.env.CMS_CPU_FILE, String((u.user + u.system) / 1000)); });\n");
const cpuFile = join(work, 'cpu.txt');

/** One run: wall and CPU milliseconds. */
function run(args: string[]): { wall: number; cpu: number } {
  const started = performance.now();
  const child = spawnSync('node', args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${cpuHook}`, CMS_CPU_FILE: cpuFile } });
  const wall = performance.now() - started;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}:\n${child.stderr}`);
  return { wall, cpu: Number(readFileSync(cpuFile, 'utf8')) };
}

const spec = join(work, 'spec-50.json');
writeFileSync(spec, benchSpec(50));
const bin = (build: Build, name: string) => join(builds[build], 'bin', name);
// A 50-tool repo made by each build: each checks its own (another build's state files may
// differ, and would not be up to date), and adds tools to fresh copies of it.
for (const build of Object.keys(builds) as Build[]) {
  run([bin(build, 'create-mcp-server.js'), join(work, `repo-${build}`), '--config', spec, '--yes', '--no-install', '--no-git']);
  cpSync(join(work, `repo-${build}`), join(work, `check-${build}`), { recursive: true });
}

let n = 0;
const cases: Array<{ name: string; args: (build: Build) => string[] }> = [
  { name: 'baseline: node -e ""', args: () => ['-e', ''] },
  {
    name: 'create-mcp-server --no-install, 50 tools',
    args: (build) => [bin(build, 'create-mcp-server.js'), join(work, `create-${n++}`), '--config', spec, '--yes', '--no-install', '--no-git'],
  },
  {
    name: 'mcp-gen add-tool on a 50-tool repo',
    args: (build) => {
      // Each run starts from a fresh copy of the same 50-tool repo.
      rmSync(join(work, `add-${build}`), { recursive: true, force: true });
      cpSync(join(work, `repo-${build}`), join(work, `add-${build}`), { recursive: true });
      return [bin(build, 'mcp-gen.js'), 'add-tool', `get_extra_${n++}`, '-C', join(work, `add-${build}`), '--yes'];
    },
  },
  { name: 'mcp-gen upgrade --check on a 50-tool repo (up to date)', args: (build) => [bin(build, 'mcp-gen.js'), 'upgrade', '--check', '-C', join(work, `check-${build}`)] },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const loadBefore = loadavg()[0]!;
const lines = ['| case | wall median before | after | CPU median before | after | CPU after ÷ before |', '|---|---:|---:|---:|---:|---:|'];
try {
  for (const c of cases) {
    const samples: Record<Build, Array<{ wall: number; cpu: number }>> = { before: [], after: [] };
    for (let i = 0; i <= RUNS; i++) {
      for (const build of (i % 2 === 0 ? ['before', 'after'] : ['after', 'before']) as Build[]) {
        const sample = run(c.args(build));
        if (i > 0) samples[build].push(sample); // the first run of each warms caches
      }
    }
    const [wb, wa, cb, ca] = [samples.before.map((s) => s.wall), samples.after.map((s) => s.wall), samples.before.map((s) => s.cpu), samples.after.map((s) => s.cpu)].map(median);
    lines.push(`| ${c.name} | ${wb!.toFixed(0)} ms | ${wa!.toFixed(0)} ms | ${cb!.toFixed(0)} ms | ${ca!.toFixed(0)} ms | ${(ca! / cb!).toFixed(2)} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(lines.join('\n'));
console.log(`\n${RUNS} runs of each build per case, alternately; load average (1 min) ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end.`);
