/**
 * Every call has exactly one audit record, whatever its outcome, and the record exists before
 * the caller gets its answer. A seeded random run of mixed tools, outcomes and concurrency.
 */
import { readFileSync } from 'node:fs';

import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';

import type { AuditRecord } from '../src/audit/audit-record.js';
import { startHarness, textOf, type Harness } from './support/harness.js';
import { badOutput, echo, leaky, limited, notFound, probeTools } from './support/probe-tools.js';

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each kind of call, and the arguments that carry its marker. */
const CALLS = [
  { tool: echo.name, args: (marker: string) => ({ message: marker }) }, // ok, or rate_limited
  { tool: echo.name, args: (marker: string) => ({ message: marker, extra: true }) }, // invalid
  { tool: leaky.name, args: (marker: string) => ({ marker }) }, // denied: probe:write missing
  { tool: notFound.name, args: (marker: string) => ({ id: marker }) }, // error (ToolError)
  { tool: badOutput.name, args: (marker: string) => ({ marker }) }, // invalid (strict input)
  { tool: limited.name, args: (marker: string) => ({ marker }) }, // invalid, then rate_limited
];

function markerOf(record: AuditRecord): string | undefined {
  const args = record.arguments as Record<string, unknown>;
  return [args['message'], args['marker'], args['id']].find((value): value is string => typeof value === 'string');
}

describe('audit completeness', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('writes exactly one record per call, before the answer, in a random run of mixed outcomes', async () => {
    const seed = Number(process.env['AUDIT_TEST_SEED'] ?? Date.now() % 100_000);
    const next = random(seed);
    harness = await startHarness({ tools: probeTools, scopes: ['probe:read'], env: { RATE_LIMIT_TOOL_PER_MINUTE: '15' } });
    const auditFile = harness.app.config.auditLog;
    const readRecords = () => {
      const text = readFileSync(auditFile, 'utf8');
      // Other calls of the batch may be writing their records right now: a line is a record
      // only once its newline is there, so a half-written last line is not read yet.
      return text
        .slice(0, text.lastIndexOf('\n') + 1)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditRecord);
    };

    const answers = new Map<string, CallToolResult>();
    let call = 0;
    while (call < 80) {
      // A batch of 1-8 concurrent calls of random kinds.
      const batch = Array.from({ length: 1 + Math.floor(next() * 8) }, () => {
        const kind = CALLS[Math.floor(next() * CALLS.length)]!;
        const marker = `call-${seed}-${call++}`;
        return harness!.client.callTool({ name: kind.tool, arguments: kind.args(marker) }).then((result) => {
          // Read synchronously, before anything else runs: the record must already be written.
          expect(readRecords().some((record) => markerOf(record) === marker), `record of ${marker} (seed ${seed})`).toBe(true);
          answers.set(marker, result as CallToolResult);
        });
      });
      await Promise.all(batch);
    }

    const records = readRecords();
    expect(records).toHaveLength(call);
    const byMarker = new Map(records.map((record) => [markerOf(record), record]));
    expect(byMarker.size, `seed ${seed}`).toBe(call);
    for (const [marker, result] of answers) {
      const record = byMarker.get(marker)!;
      // The record says what the caller was told.
      expect(record.outcome === 'ok', `${marker} (seed ${seed})`).toBe(!result.isError);
      if (result.isError) expect(textOf(result).startsWith(`[${record.errorCode}]`), `${marker} (seed ${seed})`).toBe(true);
    }
    expect(new Set(records.map((record) => record.outcome)).size, `outcomes seen (seed ${seed})`).toBeGreaterThanOrEqual(4);
  });
});
