/**
 * npm run bench [-- --duration 5 --rounds 3 --warmup 3 --connections 32 --json]
 *
 * What the pipeline costs, measured rather than guessed: autocannon on 127.0.0.1 drives one read
 * tool on two servers, each its own process (scripts/bench/bench-server.ts):
 *
 *   everything on   the real server: authentication, rate limits and concurrency caps (set high
 *                   enough never to refuse), validation, output redaction, the audit trail with
 *                   its hash chain (to a file), metrics, and tracing exported over OTLP to a
 *                   local sink; with REDIS_URL set, rate limits and the shared state (approvals,
 *                   concurrency slots) go through Redis
 *   limits in memory  with REDIS_URL set only: the same full server without it, so the cost of
 *                   sharing limits across replicas is measured side by side (target: the Redis
 *                   server at least 0.85x of this one)
 *   pipeline off    the same server, with each tools/call going straight to the tool's work:
 *                   no stage, audit record, metric or span (the HTTP transport is unchanged)
 *
 * and reports requests per second, p50 and p99 latency, and the throughput ratio (target: at
 * least 0.85x). Then, on a third server (everything on, its own audit file), what two controls
 * cost or save (skip them with --skip-extras):
 *
 *   response cache  the same read tool without a cache and with one (every call a hit: still
 *                   authenticated, rate-limited, validated and audited)
 *   compression     a 100-record answer with no Accept-Encoding (identity), gzip and br:
 *                   req/s and the bytes of one answer's body
 * Each server runs the compiled server (dist/, built first) under plain `node`, as `npm start`
 * does: scripts/bench/bench-js.ts first writes bench-server.ts and its modules as JavaScript to
 * .bench-js/, so no TypeScript loader adds its memory or start-up work. Rounds alternate between the
 * two servers and each figure is the median over rounds, so a burst of other load on the
 * machine moves both sides alike. Every request is a 2026-07-28 tools/call recorded from a real
 * SDK Client; after the run, the audit file must hold one `ok` record per request answered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import autocannon from 'autocannon';

import { testCredential } from '../../test/support/test-credential.js';
import { startNodeFlags, writeBenchServers } from './bench-js.js';
import { benchTool, cachedBenchTool, listBenchTool } from './bench-tool.js';

const TARGET_RATIO = 0.85;

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    'skip-extras': { type: 'boolean', default: false },
  },
});
const duration = Number(options.duration);
const warmup = Number(options.warmup);
const connections = Number(options.connections);
const rounds = Number(options.rounds);

interface RecordedRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
}

interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  answered: number;
  failed: number;
}

// bench-server.ts as JavaScript, run by plain `node` with `npm start`'s flags (as `npm start` runs the server), not through tsx.
const benchServerJs = writeBenchServers();
const nodeFlags = startNodeFlags();

/** Starts bench-server.ts (its JavaScript) in `mode`; resolves with its /mcp URL. */
async function startServer(mode: 'full' | 'bare', env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...nodeFlags, benchServerJs, mode], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Its logs are shown only if it fails: connections cut when a load run stops are logged, and expected.
  let logs = '';
  child.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.startsWith('{"url"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the ${mode} server exited with ${code}:\n${logs}`)));
  });
  return { url, child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Where the full server exports its spans: answers every OTLP export with 200, counts them. */
async function startOtlpSink(): Promise<{ server: Server; endpoint: string; exports: () => number }> {
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v1/traces') exports += 1;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports: () => exports };
}

/** The exact HTTP request a real SDK Client sends for one tools/call. */
async function recordToolCall(
  url: string,
  headers: Record<string, string>,
  tool: string = benchTool.name,
  args: Record<string, unknown> = { id: 'rec_42' },
): Promise<RecordedRequest> {
  let recorded: RecordedRequest | undefined;
  const client = new Client({ name: 'bench', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers },
      fetch: async (input, init) => {
        const body = typeof init?.body === 'string' ? init.body : '';
        if (body.includes('"tools/call"')) {
          recorded = { method: init?.method ?? 'POST', headers: Object.fromEntries(new Headers(init?.headers).entries()), body };
        }
        return fetch(input, init);
      },
    }),
  );
  const result = await client.callTool({ name: tool, arguments: args });
  await client.close();
  if (result.isError || !recorded) throw new Error(`the tool call failed: ${JSON.stringify(result.content)}`);
  return recorded;
}

/** The size of one answer's body to `request` as sent (compressed or not), over node:http, which decodes nothing. */
function answerBytes(url: string, request: RecordedRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) } },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.byteLength));
        res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`answer ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/** `request` with this Accept-Encoding (none: the header removed). */
function withEncoding(request: RecordedRequest, encoding: string | undefined): RecordedRequest {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'accept-encoding'));
  return { ...request, headers: encoding ? { ...headers, 'accept-encoding': encoding } : headers };
}

/** Alternating rounds of each request against one server, each figure the median over rounds. */
async function compare(url: string, requests: RecordedRequest[]): Promise<Measurement[]> {
  for (const request of requests) await load(url, request, warmup);
  const runs: Measurement[][] = requests.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, request] of requests.entries()) runs[index]!.push(await load(url, request, duration));
  }
  return runs.map(combine);
}

async function load(url: string, request: RecordedRequest, seconds: number): Promise<Measurement> {
  const result = await autocannon({ url, connections, duration: seconds, method: 'POST', headers: request.headers, body: request.body });
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    answered: result['2xx'],
    failed: result.non2xx + result.errors,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function combine(measurements: Measurement[]): Measurement {
  return {
    requestsPerSecond: median(measurements.map((m) => m.requestsPerSecond)),
    p50Ms: median(measurements.map((m) => m.p50Ms)),
    p99Ms: median(measurements.map((m) => m.p99Ms)),
    answered: measurements.reduce((sum, m) => sum + m.answered, 0),
    failed: measurements.reduce((sum, m) => sum + m.failed, 0),
  };
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-bench-'));
  const auditFile = join(dir, 'audit.jsonl');
  const sink = await startOtlpSink();
  const children: ChildProcess[] = [];
  try {
    const credential = await testCredential(dir, 'bench', [...benchTool.scopes]);
    const high = '1000000';
    const settings = {
      ...credential.env,
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      REDACT_TOOL_OUTPUT: 'true',
      RATE_LIMIT_TENANT_PER_MINUTE: high,
      RATE_LIMIT_TOOL_PER_MINUTE: high,
      RATE_LIMIT_CLIENT_PER_MINUTE: high,
      RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE: high,
      MAX_CALLS_IN_FLIGHT_PER_TENANT: '10000',
      MAX_CALLS_IN_FLIGHT: '10000',
      // With REDIS_URL set: keys under a prefix of their own (counters expire within a minute, the cached answer within an hour).
      REDIS_KEY_PREFIX: `mcp-bench:${randomUUID()}`,
    };
    const full = await startServer('full', { ...settings, AUDIT_LOG: auditFile });
    children.push(full.child);
    const bare = await startServer('bare', { ...settings, AUDIT_LOG: join(dir, 'audit-bare.jsonl') });
    children.push(bare.child);
    // An empty REDIS_URL is unset: the same server with limits in memory.
    const inMemory = process.env['REDIS_URL'] ? await startServer('full', { ...settings, REDIS_URL: '', AUDIT_LOG: join(dir, 'audit-memory.jsonl') }) : undefined;
    if (inMemory) children.push(inMemory.child);

    const request = await recordToolCall(full.url, credential.headers);
    for (const url of [bare.url, full.url, ...(inMemory ? [inMemory.url] : [])]) await load(url, request, warmup);
    await new Promise((resolve) => setTimeout(resolve, 500)); // calls still in flight finish
    const recordsBefore = readFileSync(auditFile, 'utf8').split('\n').filter(Boolean).length;

    const off: Measurement[] = [];
    const on: Measurement[] = [];
    const memory: Measurement[] = [];
    for (let round = 0; round < rounds; round++) {
      off.push(await load(bare.url, request, duration));
      on.push(await load(full.url, request, duration));
      if (inMemory) memory.push(await load(inMemory.url, request, duration));
    }
    const pipelineOff = combine(off);
    const everythingOn = combine(on);
    const ratio = everythingOn.requestsPerSecond / pipelineOff.requestsPerSecond;
    const limitsInMemory = inMemory ? combine(memory) : undefined;
    const redisRatio = limitsInMemory ? everythingOn.requestsPerSecond / limitsInMemory.requestsPerSecond : undefined;

    // The cache and compression, on a server of their own (its audit file apart from the check below).
    let extras: { cache: Record<string, Measurement>; compression: Record<string, Measurement & { answerBytes: number }> } | undefined;
    if (!options['skip-extras']) {
      await stop(bare.child); // its CPU is not needed any more
      const extra = await startServer('full', { ...settings, AUDIT_LOG: join(dir, 'audit-extra.jsonl') });
      children.push(extra.child);
      const uncached = await recordToolCall(extra.url, credential.headers);
      const cached = await recordToolCall(extra.url, credential.headers, cachedBenchTool.name);
      const [withoutCache, cacheHits] = await compare(extra.url, [uncached, cached]);
      const list = await recordToolCall(extra.url, credential.headers, listBenchTool.name, { count: 100 });
      const encodings = ['identity', 'gzip', 'br'] as const;
      const listRequests = encodings.map((encoding) => withEncoding(list, encoding === 'identity' ? undefined : encoding));
      const measured = await compare(extra.url, listRequests);
      const compression: Record<string, Measurement & { answerBytes: number }> = {};
      for (const [index, encoding] of encodings.entries()) {
        compression[encoding] = { ...measured[index]!, answerBytes: await answerBytes(extra.url, listRequests[index]!) };
      }
      extras = { cache: { withoutCache: withoutCache!, cacheHits: cacheHits! }, compression };
    }

    // Stop the full server first, so its audit file and span exports are complete.
    await stop(full.child);
    const records = readFileSync(auditFile, 'utf8').split('\n').filter(Boolean).slice(recordsBefore);
    const notOk = records.filter((line) => !line.includes('"outcome":"ok"')).length;

    const report = {
      tool: benchTool.name,
      connections,
      durationSeconds: duration,
      warmupSeconds: warmup,
      rounds,
      rateLimitStore: process.env['REDIS_URL'] ? 'redis' : 'memory',
      pipelineOff,
      everythingOn,
      ratio: Math.round(ratio * 1000) / 1000,
      target: TARGET_RATIO,
      ...(limitsInMemory && redisRatio !== undefined ? { limitsInMemory, redisRatio: Math.round(redisRatio * 1000) / 1000 } : {}),
      auditRecords: records.length,
      auditRecordsNotOk: notOk,
      spanExports: sink.exports(),
      ...(extras ? { responseCache: extras.cache, compression: { tool: listBenchTool.name, records: 100, ...extras.compression } } : {}),
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const row = (name: string, m: Measurement) =>
        `${name.padEnd(16)}${m.requestsPerSecond.toFixed(0).padStart(9)}${m.p50Ms.toFixed(1).padStart(9)}${m.p99Ms.toFixed(1).padStart(9)}${String(m.failed).padStart(9)}`;
      process.stdout.write(
        [
          `${benchTool.name} on 127.0.0.1, ${connections} connections, ${rounds} x ${duration} s each after ${warmup} s of warm-up (rate limits in ${report.rateLimitStore}):`,
          `${''.padEnd(16)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'failed'.padStart(9)}`,
          row('pipeline off', pipelineOff),
          row('everything on', everythingOn),
          ...(limitsInMemory ? [row('limits in memory', limitsInMemory)] : []),
          `ratio (on / off): ${ratio.toFixed(2)}x throughput, target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`,
          ...(redisRatio !== undefined
            ? [`ratio (Redis / in memory): ${redisRatio.toFixed(2)}x throughput, target >= ${TARGET_RATIO}x: ${redisRatio >= TARGET_RATIO ? 'met' : 'NOT met'}`]
            : []),
          `audit: ${records.length} records for ${everythingOn.answered} answered calls, ${notOk} not ok; ${sink.exports()} span exports`,
          ...(extras
            ? [
                '',
                `response cache (in ${report.rateLimitStore}), everything on:`,
                row('without cache', extras.cache.withoutCache!),
                row('cache hits', extras.cache.cacheHits!),
                '',
                `compression of ${listBenchTool.name} (100 records), everything on:`,
                `${''.padEnd(16)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'failed'.padStart(9)}${'bytes'.padStart(9)}`,
                ...Object.entries(extras.compression).map(([name, m]) => `${row(name, m)}${String(m.answerBytes).padStart(9)}`),
              ]
            : []),
        ].join('\n') + '\n',
      );
    }
    // Calls still in flight when the load stops are answered after autocannon stops counting.
    const recordsMatch = records.length >= everythingOn.answered && records.length <= everythingOn.answered + connections * rounds;
    const extrasFailed = extras ? [...Object.values(extras.cache), ...Object.values(extras.compression)].some((m) => m.failed > 0) : false;
    const consistent =
      everythingOn.failed === 0 && pipelineOff.failed === 0 && (limitsInMemory?.failed ?? 0) === 0 && notOk === 0 && recordsMatch && !extrasFailed;
    if (!consistent) process.stderr.write('The run is not valid: failed requests, or audit records that do not match the calls answered.\n');
    return consistent ? 0 : 1;
  } finally {
    await Promise.all(children.map(stop));
    sink.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
