/**
 * Where a server's CPU time goes under load: runs one case with V8's sampling profiler
 * (`node --cpu-prof`), replays the benchmark request for a while, stops the server (the profile
 * is written as it exits) and sums self time per function and per package.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import autocannon from 'autocannon';

import { isCorrectResult, recordToolCall, startServer, type Era, type ServerCase } from './server.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  share: number;
}

export interface ProfileSummary {
  caseId: string;
  era: Era;
  seconds: number;
  requests: number;
  byPackage: ProfileRow[];
  byFunction: ProfileRow[];
}

/** What owns a frame: a package, Node's own code, the app, or V8 itself. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return 'V8 garbage collector';
    if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return 'V8 / native (program)';
    return 'native';
  }
  if (url.startsWith('node:')) return 'Node.js core';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return 'server code';
}

export function shortUrl(url: string): string {
  if (!url) return '';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time per owner and per function, over the last `windowSeconds` of the profile only (the
 * measured load and the shutdown after it), so start-up work (module loading, compiling) and the
 * warm-up do not blur the picture of a request.
 */
export function summarizeProfile(profile: CpuProfile, windowSeconds = Infinity, top = 15): Pick<ProfileSummary, 'byPackage' | 'byFunction'> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times: number[] = [];
  let clock = 0;
  for (const delta of profile.timeDeltas) times.push((clock += delta));
  const from = clock - windowSeconds * 1_000_000;
  const selfTime = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    if (times[i]! < from) return;
    const delta = profile.timeDeltas[i] ?? 0;
    selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
    total += delta;
  });
  // Idle time is not work: leave it out of the shares.
  const idle = [...selfTime].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((n, [, t]) => n + t, 0);
  const busy = total - idle;
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const owner = ownerOf(frame.url, frame.functionName);
    packages.set(owner, (packages.get(owner) ?? 0) + time);
    const where = frame.url ? ` (${shortUrl(frame.url)}:${frame.lineNumber + 1})` : '';
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + time);
  }
  const rows = (map: Map<string, number>, limit = top) =>
    [...map]
      .map(([name, time]) => ({ name, share: busy > 0 ? time / busy : 0 }))
      .sort((a, b) => b.share - a.share)
      .slice(0, limit);
  return { byPackage: rows(packages), byFunction: rows(functions) };
}

export async function profileCase(serverCase: ServerCase, era: Era, seconds: number, connections = 32): Promise<ProfileSummary> {
  const dir = await mkdtemp(join(tmpdir(), 'cms-profile-'));
  try {
    const server = await startServer(serverCase, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    let requests = 0;
    try {
      const call = await recordToolCall(server.url, era, serverCase.headers);
      try {
        const base = { url: server.url.href, method: 'POST' as const, headers: call.headers, body: call.body, connections, verifyBody: isCorrectResult };
        await autocannon({ ...base, duration: 5 }); // warm-up: outside the summarized window
        const result = await autocannon({ ...base, duration: seconds });
        const failed = result.non2xx + result.errors + result.timeouts + result.mismatches;
        if (failed > 0) throw new Error(`${failed} of the profiled calls failed or returned a wrong result`);
        requests = result['2xx'];
      } finally {
        await call.close().catch(() => undefined);
      }
    } finally {
      await server.stop(); // SIGTERM: the server exits normally and V8 writes the profile
    }
    const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no CPU profile (did it exit normally on SIGTERM?)');
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    // The measured load, plus up to a second of shutdown (idle time is left out of the shares anyway).
    return { caseId: serverCase.id, era, seconds, requests, ...summarizeProfile(profile, seconds + 1) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function profileTables(summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  const lines = [
    `Case ${summary.caseId}, ${summary.era} era, ${summary.seconds} s of load after 5 s of warm-up (${summary.requests} calls); share of busy CPU time (self time) in that window.`,
    '',
    '| owner | share |',
    '|---|---:|',
    ...summary.byPackage.map((row) => `| ${row.name} | ${pct(row.share)} |`),
    '',
    '| function | share |',
    '|---|---:|',
    ...summary.byFunction.map((row) => `| \`${row.name.replace(/\|/g, '\\|')}\` | ${pct(row.share)} |`),
  ];
  return lines.join('\n');
}
