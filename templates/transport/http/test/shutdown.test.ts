/**
 * A graceful stop (src/shutdown.ts, what SIGTERM runs) while a call is running: the call
 * finishes, its answer reaches the client, and it has one audit record. New calls are refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { AuditRecord } from '../src/audit/audit-record.js';
import { shutDown } from '../src/shutdown.js';
import { startHttpServer } from './support/http-server.js';
import { createSlowTool } from './support/probe-tools.js';

describe('graceful shutdown over HTTP', () => {
  it.each(['modern', 'legacy'] as const)('answers the call in flight before it closes the connections (%s era)', async (era) => {
    const slow = createSlowTool();
    const server = await startHttpServer({ tools: [slow.tool], scopes: ['probe:read'] });
    try {
      const client = await server.connect({ era });
      const call = client.callTool({ name: 'probe.slow', arguments: {} });
      await slow.running;
      // Shutdown begins while the handler runs; the handler finishes well within the timeout.
      const stopping = shutDown(server.app, server.running, 60_000);
      slow.release();
      const result = await call;
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual({ finished: true });
      await stopping;

      const records = readFileSync(join(server.dir, 'audit.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditRecord)
        .filter((record) => record.tool === 'probe.slow');
      expect(records.map((record) => [record.outcome, record.errorCode])).toEqual([['ok', null]]);
      // Stopped: the listener is closed.
      await expect(fetch(new URL('/healthz', server.url))).rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});
