/**
 * `npm run bench`: runs every benchmark and writes bench/RESULTS.md (and the chart beside it).
 *
 *   BENCH_SECTIONS=generator,server,profile   which sections to run (default: all three); with
 *                                             fewer, the report goes to bench/.work/ instead
 *   BENCH_RUNS                                generator: runs per command (default 7)
 *   BENCH_CONNECTIONS, BENCH_WARMUP_SECONDS, BENCH_MEASURE_SECONDS, BENCH_ROUNDS,
 *   BENCH_DRIFT_SECONDS, BENCH_PROFILE_SECONDS server: see bench/server.ts (defaults 32, 5, 10, 3, 60, 15)
 *   BENCH_CASES=1,1r,3                        server: only these cases (1r needs Redis: BENCH_REDIS_URL,
 *                                             default redis://127.0.0.1:6379)
 *   BENCH_DRIFT_SECONDS=600                   server: the 10-minute flatness run (RSS once a second)
 *   BENCH_DRIFT_CASES=1                       server: the long run for these cases only (default: all)
 *   BENCH_SECTIONS=profile                    case 1's CPU profile and its allocations per call, both eras
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';

import { resultsChart } from './chart.js';
import { benchDir, benchGenerator, generatorTable, generatorTargets } from './generator.js';
import { allocationProfile, allocationTables } from './alloc-profile.js';
import { profileCase, profileTables } from './profile.js';
import { loadAverage, runServerBench, settingsFromEnv } from './server.js';
import { prepareGeneratedServer, serverCases } from './server-cases.js';
import { serverSection, throughputRatio } from './server-report.js';

const ALL = ['generator', 'server', 'profile'];
const sections = (process.env.BENCH_SECTIONS ?? ALL.join(',')).split(',').map((s) => s.trim());
const complete = ALL.every((section) => sections.includes(section));
const out = complete ? new URL('./', import.meta.url) : new URL('./.work/', import.meta.url);
await mkdir(out, { recursive: true });
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const parts: string[] = [];
const loadAtStart = loadAverage();

if (sections.includes('generator')) {
  log('generator benchmarks');
  const generator = await benchGenerator();
  parts.push(`## Generator (wall time of the real commands)

Each case runs ${process.env.BENCH_RUNS ?? 7} times after one warm-up run; the ratio is to a bare \`node\` process start measured in the same run. The commands write to ${benchDir().label}.

${generatorTable(generator)}

### Targets

${generatorTargets(generator)}
`);
}

if (sections.includes('server') || sections.includes('profile')) {
  const generated = await prepareGeneratedServer(log);
  const only = process.env.BENCH_CASES?.split(',').map((s) => s.trim());
  const cases = serverCases(generated).filter((c) => !only || only.includes(c.id));
  if (sections.includes('server')) {
    const settings = settingsFromEnv();
    const bench = await runServerBench(cases, settings, log);
    await writeFile(new URL('./results.svg', out), resultsChart(bench));
    parts.push(serverSection(bench, 'results.svg'));
    for (const era of ['legacy', 'modern'] as const) {
      const ratios = ['2', '3', '4', '5', '6', '7']
        .map((id) => [id, throughputRatio(bench, id, era)] as const)
        .filter(([, ratio]) => ratio !== undefined)
        .map(([id, ratio]) => `(${id}) ${ratio!.toFixed(2)}x`);
      log(`${era}: case 1 throughput / other cases: ${ratios.join(', ')}`);
      const redis = throughputRatio(bench, '1r', era);
      if (redis !== undefined) log(`${era}: case 1r throughput / case 1: ${(1 / redis).toFixed(2)}x (target 0.85x)`);
    }
  }
  if (sections.includes('profile')) {
    const seconds = Number(process.env.BENCH_PROFILE_SECONDS ?? 15);
    const ours = cases.find((c) => c.id === '1');
    if (ours) {
      log(`profiling case 1 for ${seconds} s`);
      const summaries = [await profileCase(ours, 'legacy', seconds), await profileCase(ours, 'modern', seconds)];
      parts.push(`## Where the time goes (CPU profile of case 1)

\`node --cpu-prof\` on the generated server under the same load; self time summed per owner and per function.

${summaries.map(profileTables).join('\n\n')}
`);
      log(`sampling case 1's allocations for ${seconds} s`);
      const allocations = [await allocationProfile(ours, 'legacy', seconds), await allocationProfile(ours, 'modern', seconds)];
      parts.push(`## Where the memory goes (allocations of case 1)

V8's sampling heap profiler in the generated server under the same load, counting every allocation, freed ones too
(\`bench/heap-sampler.mjs\`): what the garbage collector clears per call, which is what RSS grows by between
collections. Bytes per owner of the allocating frame, and per innermost function of the server's own code on the
allocating stack (synchronous stacks only: what a library allocates after an \`await\` is counted as the library's).

${allocations.map(allocationTables).join('\n\n')}
`);
    }
  }
  await generated.close();
}

const report = `# Benchmarks

Made by \`npm run bench\` on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average (1 min) at the start: ${loadAtStart.toFixed(2)}.
Other work on the machine skews every figure; compare cases within one run, not across runs.

${parts.join('\n')}`;
await writeFile(new URL('./RESULTS.md', out), report);
process.stdout.write(report);
