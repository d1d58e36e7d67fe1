/**
 * Sustained load at the rate limit from several tenants: three polite tenants call at 80 % of
 * their per-tool budget while a noisy one calls at ten times it, all at once, for a minute
 * (STRESS_LOAD_SECONDS), after a warm-up. Every polite call must succeed, at the rate offered,
 * with bounded latency (no tenant starves another); every call of the noisy tenant must be
 * answered, as a success within its budget or as rate limited, never as another error; and
 * the server's live heap must stay flat.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { startHttp, type RunningServer } from '../e2e/generated-repo.js';
import { tempDir } from '../support/temp-dir.js';
import { createKey } from './support/keys.js';

const repo = inject('stressRepo');
const SECONDS = Number(process.env.STRESS_LOAD_SECONDS ?? 60);
const WARMUP_SECONDS = 10;
const TOOL_PER_MINUTE = 1200; // 20 calls a second per tenant
const POLITE_RATE = 16; // 80 % of it
const NOISY_RATE = 200; // 10 times it

interface Tenant {
  name: string;
  rate: number;
  connections: number;
  era: 'legacy' | 'modern';
  key?: string;
  request?: { headers: Record<string, string>; body: string };
}

const HEAP_PROBE = fileURLToPath(new URL('./support/heap-probe.cjs', import.meta.url));

const tenants: Tenant[] = [
  { name: 'polite-a', rate: POLITE_RATE, connections: 4, era: 'modern' },
  { name: 'polite-b', rate: POLITE_RATE, connections: 4, era: 'legacy' },
  { name: 'polite-c', rate: POLITE_RATE, connections: 4, era: 'modern' },
  { name: 'noisy', rate: NOISY_RATE, connections: 16, era: 'legacy' },
];

let scratch: string;
let removeScratch: () => Promise<void>;
let server: RunningServer | undefined;
let auditFile: string;
let pid: number;

beforeAll(async () => {
  ({ path: scratch, remove: removeScratch } = await tempDir('cms-load-'));
  const keysFile = join(scratch, 'keys.json');
  for (const tenant of tenants) tenant.key = await createKey(repo, keysFile, tenant.name, 'tools:read');
  auditFile = join(scratch, 'audit.jsonl');
  server = await startHttp(repo, {
    MCP_API_KEYS_FILE: keysFile,
    AUDIT_LOG: auditFile,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_TOOL_PER_MINUTE: String(TOOL_PER_MINUTE),
    RATE_LIMIT_TENANT_PER_MINUTE: String(TOOL_PER_MINUTE * 2),
    RATE_LIMIT_CLIENT_PER_MINUTE: String(TOOL_PER_MINUTE * 2),
    // The HTTP request budget stays on too: the noisy tenant may meet it as 429.
    RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE: String(TOOL_PER_MINUTE * 5),
  }, ['--expose-gc', '--require', HEAP_PROBE]);
  pid = server.pid;
  for (const tenant of tenants) tenant.request = await recordCall(new URL(server.url), tenant);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await removeScratch?.();
});

function rssMb(processId: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${processId}/status`, 'utf8'))?.[1]) / 1024;
}

/** The server's live heap after a full collection, in MB (see support/heap-probe.cjs). */
async function liveHeapMb(): Promise<number> {
  const probes = () => [...server!.output().matchAll(/^heap-probe (\d+)$/gm)];
  const before = probes().length;
  server!.signal('SIGUSR2');
  // Bounded only to catch a hang: a collection takes milliseconds.
  for (const deadline = Date.now() + 30_000; probes().length === before; ) {
    if (Date.now() > deadline) throw new Error(`the heap probe did not answer:\n${server!.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Number(probes()[before]![1]) / 1024 / 1024;
}

/** The exact tools/call request a real SDK Client sends for this tenant, in its era. */
async function recordCall(url: URL, tenant: Tenant): Promise<{ headers: Record<string, string>; body: string }> {
  let recorded: { headers: Record<string, string>; body: string } | undefined;
  const client = new Client({ name: tenant.name, version: '1.0.0' }, tenant.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${tenant.key}` } },
      fetch: async (input, init) => {
        const body = typeof init?.body === 'string' ? init.body : '';
        if (body.includes('"tools/call"')) recorded = { headers: Object.fromEntries(new Headers(init?.headers).entries()), body };
        return fetch(input, init);
      },
    }),
  );
  const result = await client.callTool({ name: 'search_customers', arguments: { query: 'x', limit: 5 } });
  await client.close();
  if (result.isError || !recorded) throw new Error(`the recorded call failed: ${JSON.stringify(result)}`);
  delete recorded.headers['content-length'];
  return recorded;
}

function run(url: string, tenant: Tenant, seconds: number) {
  return autocannon({
    url,
    method: 'POST',
    headers: tenant.request!.headers,
    body: tenant.request!.body,
    connections: tenant.connections,
    overallRate: tenant.rate,
    duration: seconds,
    // A 200 is not a success by itself: count tool results that are not ok as mismatches.
    verifyBody: (body) => !String(body).includes('"isError":true'),
  });
}

function auditRecords(): Array<{ tenant: string; outcome: string; errorCode: string | null; time: string }> {
  return readFileSync(auditFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { tenant: string; outcome: string; errorCode: string | null; time: string });
}

describe(`sustained load at the rate limit from ${tenants.length} tenants (${SECONDS} s)`, () => {
  it('starves no tenant, refuses only with rate_limited, and keeps memory flat', async () => {
    const url = server!.url;
    await Promise.all(tenants.map((tenant) => run(url, tenant, WARMUP_SECONDS)));
    const heapBefore = await liveHeapMb();
    const auditBefore = auditRecords().length;

    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(rssMb(pid)), 1_000);
    const started = new Date().toISOString();
    const results = await Promise.all(tenants.map((tenant) => run(url, tenant, SECONDS)));
    clearInterval(sampler);
    // Calls still in flight when the runs stopped finish and are audited.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const heapAfter = await liveHeapMb();
    const records = auditRecords()
      .slice(auditBefore)
      .filter((record) => record.time >= started);

    const report: string[] = [];
    tenants.forEach((tenant, i) => {
      const result = results[i]!;
      const mine = records.filter((record) => record.tenant === tenant.name);
      const outcomes = new Map<string, number>();
      for (const record of mine) outcomes.set(`${record.outcome}/${record.errorCode ?? '-'}`, (outcomes.get(`${record.outcome}/${record.errorCode ?? '-'}`) ?? 0) + 1);
      report.push(
        `${tenant.name} (${tenant.era}, ${tenant.rate}/s offered): ${result['2xx']} answered 2xx, ${result.non2xx} non-2xx ` +
          `${JSON.stringify(result.statusCodeStats)}, ${result.mismatches} not ok, ${result.errors} errors, p50 ${result.latency.p50} ms, ` +
          `p99 ${result.latency.p99} ms; audit ${JSON.stringify(Object.fromEntries(outcomes))}`,
      );
    });
    // RSS and the heap's total size grow and shrink with V8's sizing heuristics under load (a
    // floor can rise by 50 MB within a minute and fall back later), so they are reported, not
    // judged. What a leak raises is the live heap after a full collection.
    report.push(
      `live heap after a full collection ${heapBefore.toFixed(1)} MB after the warm-up, ${heapAfter.toFixed(1)} MB after the run; ` +
        `RSS min ${Math.min(...rss).toFixed(1)} MB, max ${Math.max(...rss).toFixed(1)} MB, last ${rss.at(-1)!.toFixed(1)} MB (${rss.length} samples)`,
    );
    console.log(report.join('\n'));

    for (const [i, tenant] of tenants.entries()) {
      const result = results[i]!;
      expect(result.errors, `${tenant.name}: connection errors`).toBe(0);
      expect(result.timeouts, `${tenant.name}: timeouts`).toBe(0);
      // Any status but 200, and 429 (the HTTP request budget), is a failure.
      const statuses = Object.keys(result.statusCodeStats ?? {}).map(Number);
      expect(statuses.filter((status) => status !== 200 && status !== 429), `${tenant.name}: statuses`).toEqual([]);
      const mine = records.filter((record) => record.tenant === tenant.name);
      // No outcome but ok and rate_limited (budgets or the concurrency cap).
      expect(mine.filter((record) => record.outcome !== 'ok' && record.outcome !== 'rate_limited'), tenant.name).toEqual([]);
      const ok = mine.filter((record) => record.outcome === 'ok').length;
      if (tenant.rate === POLITE_RATE) {
        // Under its budget: every call succeeds, at (nearly) the rate offered, promptly.
        expect(result.non2xx, `${tenant.name}: refused`).toBe(0);
        expect(result.mismatches, `${tenant.name}: tool results not ok`).toBe(0);
        expect(ok, `${tenant.name}: calls that succeeded`).toBeGreaterThanOrEqual(Math.floor(tenant.rate * SECONDS * 0.9));
        expect(result.latency.p99, `${tenant.name}: p99 latency`).toBeLessThan(2_000);
      } else {
        // Over its budget: it gets what its budget allows in the windows the run spans, and is
        // refused the rest, as rate limited.
        const windows = Math.ceil((SECONDS + WARMUP_SECONDS) / 60) + 1;
        expect(ok, `${tenant.name}: calls that succeeded`).toBeGreaterThan(0);
        expect(ok, `${tenant.name}: calls that succeeded`).toBeLessThanOrEqual(TOOL_PER_MINUTE * windows);
        expect(mine.filter((record) => record.outcome === 'rate_limited').length + result.non2xx).toBeGreaterThan(ok);
      }
    }
    // Memory: flat once warm (the limiters keep one counter per tenant, the audit streams to a
    // file). A leak of 1 KB per call would add over 10 MB in this run.
    expect(heapAfter - heapBefore, `live heap grew from ${heapBefore.toFixed(1)} to ${heapAfter.toFixed(1)} MB`).toBeLessThan(8);
  }, 300_000);
});
