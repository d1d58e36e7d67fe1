/**
 * Server benchmark harness: one read tool served by each case (bench/server-cases.ts), loaded
 * with autocannon on 127.0.0.1 at a fixed concurrency, both protocol eras.
 *
 * For every (case, era) and every round: start the server as its own process, read its idle
 * RSS, connect a real SDK Client in that era and call the tool once (recording the exact
 * tools/call request the client sends), warm up for several seconds (the JIT is 18-44 % slower
 * in the first second), then replay the recorded request for the measured window while reading
 * the process's CPU time and RSS from /proc. Every response is checked: a 2xx whose body is not
 * the tool's correct result (an error, a rate_limited result, a wrong count) counts as a
 * mismatch, and a case with any mismatch or error is reported as failed, not as fast.
 * Rounds alternate the order of the cases, so drift in machine load does not favour one case.
 * A long run per case then samples RSS every second to show drift.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { BENCH_ARGUMENTS, EXPECTED_STRUCTURED_CONTENT, TOOL_NAME } from './servers/bench-call.js';

export type Era = 'legacy' | 'modern';
export const ERA_LABEL: Record<Era, string> = { legacy: '2025-11-25 (initialize era)', modern: '2026-07-28 (stateless era)' };

export interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /**
   * The server picks its own port and prints `{"url": "…"}` on stdout once listening (as the
   * generated repo's scripts/bench/bench-server.ts does); otherwise it listens on PORT.
   */
  urlFromStdout?: boolean;
  /**
   * After the process has stopped: evidence that its controls really ran, e.g. one `ok` audit
   * record per call answered. `answered` is what the harness counted (calls still in flight when
   * a load run stops are answered later, so up to `slack` more may be recorded). Returns a
   * problem, or undefined.
   */
  check?: (answered: number, slack: number) => string | undefined;
  /** Called after the process is stopped (e.g. to delete its audit file). */
  cleanup?: () => void;
}

export interface ServerCase {
  /** "1" … "7" as the issue numbers them, and "1r" (case 1 with its limits in Redis). */
  id: string;
  label: string;
  /** One line on what runs and how. */
  notes: string;
  eras: readonly Era[];
  /** Headers every request carries (a credential). */
  headers?: Record<string, string>;
  launch(port: number): Launch;
}

export interface BenchSettings {
  connections: number;
  warmupSeconds: number;
  measureSeconds: number;
  rounds: number;
  driftSeconds: number;
  /** The cases the long run measures (BENCH_DRIFT_CASES); undefined: every case. */
  driftCases?: string[] | undefined;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const number = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative number, got ${value}`);
    return parsed;
  };
  return {
    connections: number('BENCH_CONNECTIONS', 32),
    warmupSeconds: number('BENCH_WARMUP_SECONDS', 5),
    measureSeconds: number('BENCH_MEASURE_SECONDS', 10),
    rounds: number('BENCH_ROUNDS', 3),
    driftSeconds: number('BENCH_DRIFT_SECONDS', 60),
    driftCases: env.BENCH_DRIFT_CASES ? env.BENCH_DRIFT_CASES.split(',').map((s) => s.trim()) : undefined,
  };
}

/** One measured window of one (case, era). */
export interface Sample {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  idleRssMb: number;
  loadedRssMb: number;
  completed: number;
  /** Non-2xx, connection errors, timeouts and wrong bodies: any of these fails the case. */
  failures: { non2xx: number; errors: number; timeouts: number; mismatches: number };
}

export interface CaseEraResult {
  caseId: string;
  era: Era;
  samples: Sample[];
  /** Medians over the rounds. */
  median: Omit<Sample, 'failures' | 'completed'>;
  failed: boolean;
  failureNote?: string;
}

export interface DriftResult {
  caseId: string;
  era: Era;
  seconds: number;
  /** RSS (MiB) once per second after warm-up. */
  rssMb: number[];
  startMb: number;
  endMb: number;
  /** Least-squares slope over the run, MiB per minute. */
  slopeMbPerMinute: number;
  requestsPerSecond: number;
  failed: boolean;
}

export interface ServerBenchResult {
  settings: BenchSettings;
  cases: ServerCase[];
  results: CaseEraResult[];
  drift: DriftResult[];
  /** Load average (1 min) before and after the measurements. */
  loadBefore: number;
  loadAfter: number;
}

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

/** utime + stime of a process, in microseconds. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: fields after it start past the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before listening:\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`server did not listen on ${port} within 60 s:\n${output()}`);
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  pid: number;
  url: URL;
  /** Stops the process; with `answered`, runs the case's check first and throws its problem. */
  stop(answered?: { count: number; slack: number }): Promise<void>;
}

export async function startServer(serverCase: ServerCase, extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const launch = serverCase.launch(port);
  const child = spawn(launch.command, [...extraArgs, ...launch.args], {
    cwd: launch.cwd,
    env: { ...process.env, ...launch.env, ...extraEnv, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  let announced: URL | undefined;
  let stdoutLine = '';
  const keep = (chunk: Buffer) => {
    // Keep the last few kB for error messages; a server's own logs are not measured.
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    keep(chunk);
    if (launch.urlFromStdout && !announced) {
      stdoutLine += chunk.toString('utf8');
      const line = stdoutLine.split('\n').find((candidate) => candidate.startsWith('{"url"'));
      if (line) announced = new URL((JSON.parse(line) as { url: string }).url);
    }
  });
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (answered?: { count: number; slack: number }) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    running.delete(child);
    try {
      const problem = answered && launch.check?.(answered.count, answered.slack);
      if (problem) throw new Error(problem);
    } finally {
      launch.cleanup?.();
    }
  };
  try {
    if (launch.urlFromStdout) {
      const deadline = Date.now() + 60_000;
      while (!announced) {
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before listening:\n${output}`);
        if (Date.now() > deadline) throw new Error(`server announced no URL within 60 s:\n${output}`);
        await sleep(100);
      }
    } else {
      await waitForPort(port, child, () => output);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, pid: child.pid!, url: announced ?? new URL(`http://127.0.0.1:${port}/mcp`), stop };
}

/** The exact tools/call request a real SDK Client sends in `era`, captured from a real call. */
export interface RecordedCall {
  headers: Record<string, string>;
  body: string;
  /** Open for cases that keep sessions: close after the load. */
  close(): Promise<void>;
}

export async function recordToolCall(url: URL, era: Era, headers: Record<string, string> = {}): Promise<RecordedCall> {
  let recorded: { headers: Record<string, string>; body: string } | undefined;
  const recordingFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if (body?.includes('"tools/call"')) {
      const sent: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, name) => {
        sent[name] = value;
      });
      recorded = { headers: sent, body };
    }
    return fetch(input, init);
  };
  const client = new Client(
    { name: 'bench', version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers }, fetch: recordingFetch });
  await client.connect(transport);
  const result = await client.callTool({ name: TOOL_NAME, arguments: { ...BENCH_ARGUMENTS } });
  if (result.isError || !sameRecord(result.structuredContent)) {
    await client.close();
    throw new Error(`the tool call returned a wrong result: ${JSON.stringify(result).slice(0, 500)}`);
  }
  if (!recorded) {
    await client.close();
    throw new Error('no tools/call request was recorded');
  }
  // Replayed as is: content-length is recomputed by autocannon.
  delete recorded.headers['content-length'];
  return { ...recorded, close: () => client.close() };
}

function sameRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const expected: Record<string, unknown> = EXPECTED_STRUCTURED_CONTENT;
  return Object.keys(record).length === Object.keys(expected).length && Object.keys(expected).every((key) => record[key] === expected[key]);
}

/** Whether a response body (JSON or an SSE stream) carries the tool's correct result. */
export function isCorrectResult(body: string | Buffer | undefined): boolean {
  try {
    let message: unknown;
    const trimmed = (body ?? '').toString().trimStart();
    if (trimmed.startsWith('{')) message = JSON.parse(trimmed);
    else {
      const data = trimmed
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .filter((line) => line.startsWith('{'));
      message = JSON.parse(data[data.length - 1] ?? 'null');
    }
    const result = (message as { result?: { isError?: boolean; structuredContent?: unknown } } | null)?.result;
    return !!result && result.isError !== true && sameRecord(result.structuredContent);
  } catch {
    return false;
  }
}

function load(url: URL, call: RecordedCall, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({
    url: url.href,
    method: 'POST',
    headers: call.headers,
    body: call.body,
    connections,
    duration: seconds,
    verifyBody: isCorrectResult,
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Calls answered so far by one started server (for its check), and how many more may be recorded. */
class Answered {
  count = 1; // the recorded call
  slack = 0;
  add(result: autocannon.Result, connections: number): void {
    this.count += result['2xx'];
    this.slack += connections;
  }
}

export async function measureOnce(serverCase: ServerCase, era: Era, settings: BenchSettings): Promise<Sample> {
  const server = await startServer(serverCase);
  const answered = new Answered();
  let sample: Sample | undefined;
  try {
    await sleep(1_000); // let start-up work settle before reading the idle RSS
    const idleRssMb = rssMb(server.pid);
    const call = await recordToolCall(server.url, era, serverCase.headers);
    try {
      if (settings.warmupSeconds > 0) answered.add(await load(server.url, call, settings.warmupSeconds, settings.connections), settings.connections);
      let loadedRssMb = rssMb(server.pid);
      const sampler = setInterval(() => {
        loadedRssMb = Math.max(loadedRssMb, rssMb(server.pid));
      }, 250);
      const cpuBefore = cpuMicros(server.pid);
      const result = await load(server.url, call, settings.measureSeconds, settings.connections);
      const cpuAfter = cpuMicros(server.pid);
      clearInterval(sampler);
      answered.add(result, settings.connections);
      loadedRssMb = Math.max(loadedRssMb, rssMb(server.pid));
      const completed = result['2xx'] - result.mismatches;
      sample = {
        requestsPerSecond: completed / result.duration,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        cpuUsPerRequest: completed > 0 ? (cpuAfter - cpuBefore) / completed : NaN,
        idleRssMb,
        loadedRssMb,
        completed,
        failures: { non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, mismatches: result.mismatches },
      };
    } finally {
      await call.close().catch(() => undefined);
    }
  } finally {
    // Checked only when the measurement completed; a failure above is the error to report.
    await server.stop(sample ? answered : undefined);
  }
  return sample;
}

export async function measureDrift(serverCase: ServerCase, era: Era, settings: BenchSettings): Promise<DriftResult> {
  const server = await startServer(serverCase);
  try {
    const call = await recordToolCall(server.url, era, serverCase.headers);
    try {
      if (settings.warmupSeconds > 0) await load(server.url, call, settings.warmupSeconds, settings.connections);
      const rss: number[] = [rssMb(server.pid)];
      const sampler = setInterval(() => rss.push(rssMb(server.pid)), 1_000);
      const result = await load(server.url, call, settings.driftSeconds, settings.connections);
      clearInterval(sampler);
      rss.push(rssMb(server.pid));
      const xs = rss.map((_, i) => i / 60);
      const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
      const meanY = rss.reduce((a, b) => a + b, 0) / rss.length;
      let num = 0;
      let den = 0;
      for (let i = 0; i < rss.length; i++) {
        num += (xs[i]! - meanX) * (rss[i]! - meanY);
        den += (xs[i]! - meanX) ** 2;
      }
      const completed = result['2xx'] - result.mismatches;
      return {
        caseId: serverCase.id,
        era,
        seconds: settings.driftSeconds,
        rssMb: rss,
        startMb: rss[0]!,
        endMb: rss[rss.length - 1]!,
        slopeMbPerMinute: den > 0 ? num / den : 0,
        requestsPerSecond: completed / result.duration,
        failed: result.non2xx + result.errors + result.timeouts + result.mismatches > 0,
      };
    } finally {
      await call.close().catch(() => undefined);
    }
  } finally {
    await server.stop();
  }
}

export async function runServerBench(
  cases: ServerCase[],
  settings: BenchSettings,
  progress: (line: string) => void = () => undefined,
): Promise<ServerBenchResult> {
  const loadBefore = loadAverage();
  const pairs = cases.flatMap((serverCase) => serverCase.eras.map((era) => ({ serverCase, era })));
  const samples = new Map<string, Sample[]>();
  const errors = new Map<string, string>();
  for (let round = 0; round < settings.rounds; round++) {
    // Alternate the order: forward on even rounds, backward on odd ones.
    const order = round % 2 === 0 ? pairs : [...pairs].reverse();
    for (const { serverCase, era } of order) {
      const key = `${serverCase.id}/${era}`;
      try {
        const sample = await measureOnce(serverCase, era, settings);
        samples.set(key, [...(samples.get(key) ?? []), sample]);
        progress(
          `round ${round + 1}/${settings.rounds} case ${serverCase.id} ${era}: ${sample.requestsPerSecond.toFixed(0)} req/s, ` +
            `p50 ${sample.p50Ms} ms, p99 ${sample.p99Ms} ms, ${sample.cpuUsPerRequest.toFixed(0)} µs CPU/req, ` +
            `RSS ${sample.idleRssMb.toFixed(0)}/${sample.loadedRssMb.toFixed(0)} MiB, load ${loadAverage().toFixed(2)}`,
        );
      } catch (error) {
        errors.set(key, (error as Error).message.split('\n')[0] ?? String(error));
        progress(`round ${round + 1} case ${serverCase.id} ${era}: FAILED ${(error as Error).message}`);
      }
    }
  }
  const results: CaseEraResult[] = pairs.map(({ serverCase, era }) => {
    const key = `${serverCase.id}/${era}`;
    const got = samples.get(key) ?? [];
    const failures = got.reduce((n, s) => n + s.failures.non2xx + s.failures.errors + s.failures.timeouts + s.failures.mismatches, 0);
    const failureNote = errors.get(key) ?? (failures > 0 ? `${failures} failed or wrong responses` : undefined);
    return {
      caseId: serverCase.id,
      era,
      samples: got,
      median: {
        requestsPerSecond: median(got.map((s) => s.requestsPerSecond)),
        p50Ms: median(got.map((s) => s.p50Ms)),
        p99Ms: median(got.map((s) => s.p99Ms)),
        cpuUsPerRequest: median(got.map((s) => s.cpuUsPerRequest)),
        idleRssMb: median(got.map((s) => s.idleRssMb)),
        loadedRssMb: median(got.map((s) => s.loadedRssMb)),
      },
      failed: got.length < settings.rounds || failures > 0,
      ...(failureNote ? { failureNote } : {}),
    };
  });
  const drift: DriftResult[] = [];
  if (settings.driftSeconds > 0) {
    for (const serverCase of cases.filter((c) => !settings.driftCases || settings.driftCases.includes(c.id))) {
      const era: Era = serverCase.eras.includes('legacy') ? 'legacy' : serverCase.eras[0]!;
      try {
        const result = await measureDrift(serverCase, era, settings);
        drift.push(result);
        progress(
          `drift case ${serverCase.id} ${era} ${settings.driftSeconds}s: ${result.startMb.toFixed(1)} -> ${result.endMb.toFixed(1)} MiB ` +
            `(${result.slopeMbPerMinute.toFixed(2)} MiB/min), ${result.requestsPerSecond.toFixed(0)} req/s`,
        );
      } catch (error) {
        progress(`drift case ${serverCase.id}: FAILED ${(error as Error).message}`);
      }
    }
  }
  return { settings, cases, results, drift, loadBefore, loadAfter: loadAverage() };
}
