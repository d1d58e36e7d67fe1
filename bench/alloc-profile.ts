/**
 * Where a server's allocations come from under load: what its garbage collector has to clear
 * per request, which is what grows RSS between collections (the young generation, and the old
 * one until a full collection). Runs one case with bench/heap-sampler.mjs preloaded, samples
 * every allocation (freed ones too) while the benchmark request is replayed, and sums the bytes
 * per package (the allocating frame's owner) and per function of the server's own code (the
 * innermost one on the allocating stack: what its own calls cost, the libraries' work included).
 * The sampler sees synchronous stacks only: bytes a library allocates after an `await` are the
 * library's, whoever awaited it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

import { ownerOf, shortUrl } from './profile.js';
import { isCorrectResult, recordToolCall, startServer, type Era, type ServerCase } from './server.js';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

export interface AllocationSummary {
  caseId: string;
  era: Era;
  seconds: number;
  requests: number;
  /** Sampled bytes allocated per request answered. */
  bytesPerRequest: number;
  byPackage: Array<{ name: string; bytes: number }>;
  byServerFunction: Array<{ name: string; bytes: number }>;
  /** What the server's own functions allocate themselves (their objects, closures, promises). */
  serverSelf: Array<{ name: string; bytes: number }>;
}

const SAMPLER = fileURLToPath(new URL('./heap-sampler.mjs', import.meta.url));

/** The server's own code: a generated repo's dist/ (or its bench scripts), not a package or Node. */
function isServerCode(url: string): boolean {
  return url !== '' && !url.startsWith('node:') && !url.includes('/node_modules/');
}

/** Bytes per owner and per innermost server-code function, per request. */
export function summarizeAllocations(head: SamplingNode, requests: number, top = 15): Omit<AllocationSummary, 'caseId' | 'era' | 'seconds' | 'requests'> {
  const packages = new Map<string, number>();
  const ours = new Map<string, number>();
  const self = new Map<string, number>();
  let total = 0;
  const frameName = ({ functionName, url, lineNumber }: SamplingNode['callFrame']) => `${functionName || '(anonymous)'} (${shortUrl(url)}:${lineNumber + 1})`;
  const walk = (node: SamplingNode, innermostOurs: string | undefined) => {
    const here = isServerCode(node.callFrame.url) ? frameName(node.callFrame) : innermostOurs;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const owner = ownerOf(node.callFrame.url, node.callFrame.functionName);
      packages.set(owner, (packages.get(owner) ?? 0) + node.selfSize);
      const key = here ?? '(no server code on the stack)';
      ours.set(key, (ours.get(key) ?? 0) + node.selfSize);
      if (owner === 'server code') self.set(here!, (self.get(here!) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(head, undefined);
  const rows = (map: Map<string, number>) =>
    [...map]
      .map(([name, bytes]) => ({ name, bytes: bytes / requests }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, top);
  return { bytesPerRequest: total / requests, byPackage: rows(packages), byServerFunction: rows(ours), serverSelf: rows(self) };
}

export async function allocationProfile(serverCase: ServerCase, era: Era, seconds: number, connections = 32): Promise<AllocationSummary> {
  const dir = await mkdtemp(join(tmpdir(), 'cms-alloc-'));
  const file = join(dir, 'heap.json');
  try {
    const server = await startServer(serverCase, ['--import', SAMPLER], { HEAP_SAMPLE_FILE: file });
    let requests = 0;
    try {
      const call = await recordToolCall(server.url, era, serverCase.headers);
      try {
        const base = { url: server.url.href, method: 'POST' as const, headers: call.headers, body: call.body, connections, verifyBody: isCorrectResult };
        await autocannon({ ...base, duration: 5 }); // warm-up: not sampled
        server.child.kill('SIGUSR2');
        const result = await autocannon({ ...base, duration: seconds });
        server.child.kill('SIGUSR2');
        const failed = result.non2xx + result.errors + result.timeouts + result.mismatches;
        if (failed > 0) throw new Error(`${failed} of the sampled calls failed or returned a wrong result`);
        requests = result['2xx'];
        // The profile is written once the sampler has stopped; a bound that only catches a hang.
        for (let waited = 0; !existsSync(file); waited += 100) {
          if (waited > 60_000) throw new Error('the server wrote no heap profile within a minute of SIGUSR2');
          await sleep(100);
        }
      } finally {
        await call.close().catch(() => undefined);
      }
    } finally {
      await server.stop();
    }
    const profile = JSON.parse(await readFile(file, 'utf8')) as { head: SamplingNode };
    return { caseId: serverCase.id, era, seconds, requests, ...summarizeAllocations(profile.head, requests) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function allocationTables(summary: AllocationSummary): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  return [
    `Case ${summary.caseId}, ${summary.era} era, ${summary.seconds} s of load after 5 s of warm-up (${summary.requests} calls): ${kib(summary.bytesPerRequest)} allocated per call.`,
    '',
    '| allocated by | per call |',
    '|---|---:|',
    ...summary.byPackage.map((row) => `| ${row.name} | ${kib(row.bytes)} |`),
    '',
    '| innermost server function on the stack | per call |',
    '|---|---:|',
    ...summary.byServerFunction.map((row) => `| \`${row.name.replace(/\|/g, '\\|')}\` | ${kib(row.bytes)} |`),
    '',
    '| server function, its own allocations | per call |',
    '|---|---:|',
    ...summary.serverSelf.map((row) => `| \`${row.name.replace(/\|/g, '\\|')}\` | ${kib(row.bytes)} |`),
  ].join('\n');
}
