/**
 * Tools that exist only in tests of the response cache and the response budget: a cached read
 * tool that counts its runs, a write tool, and a tool whose answer is as large as asked.
 */
import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import { defineTool, ToolError } from '../../src/tool-model/define-tool.js';
import { truncationFields } from '../../src/pipeline/response-budget.js';

/** Handler runs of {@link cachedLookup} in this process. */
export const lookupRuns = { count: 0 };

export const cachedLookup = defineTool({
  name: 'probe.cached_lookup',
  version: '1.0.0',
  title: 'Cached lookup',
  description: 'Returns the key, the tenant and an id of this handler run; answers are cached.',
  access: 'read',
  scopes: ['probe:read'],
  cache: { ttlSeconds: 3600 },
  inputSchema: z.object({ key: z.string().max(100), depth: z.number().int().optional() }).strict(),
  outputSchema: z.object({ key: z.string(), tenant: z.string(), runId: z.string() }),
  handler: (input, ctx) => {
    lookupRuns.count += 1;
    return { key: input.key, tenant: ctx.tenant, runId: randomUUID() };
  },
});

export const writeNote = defineTool({
  name: 'probe.write_note',
  version: '1.0.0',
  title: 'Write a note',
  description: 'A write tool that changes nothing real; `fail` makes it fail before it writes.',
  access: 'write',
  scopes: ['probe:write'],
  inputSchema: z.object({ note: z.string().max(100), fail: z.boolean().optional() }).strict(),
  outputSchema: z.object({ written: z.boolean() }),
  handler: (input) => {
    if (input.fail) throw new ToolError('rejected', 'The note was refused.');
    return { written: true };
  },
});

/** Row `index` of {@link largeList}: about 100 characters. */
export function row(index: number): { id: string; title: string } {
  return { id: `row_${String(index).padStart(5, '0')}`, title: `Row ${index}: ${'lorem ipsum dolor sit amet '.repeat(3).trim()}` };
}

/** A list of `count` rows (about 100 characters each), declaring how it says it was cut down. */
export const largeList = defineTool({
  name: 'probe.large_list',
  version: '1.0.0',
  title: 'Large list',
  description: 'Returns `count` rows: an answer as large as asked.',
  access: 'read',
  scopes: ['probe:read'],
  maxResponseTokens: 2_000,
  inputSchema: z.object({ count: z.number().int().min(0).max(100_000), offset: z.number().int().optional() }).strict(),
  outputSchema: z.object({ rows: z.array(z.object({ id: z.string(), title: z.string() })), total: z.number().int(), ...truncationFields }),
  handler: (input) => {
    const rows = Array.from({ length: input.count }, (_, index) => row((input.offset ?? 0) + index));
    return { rows, total: rows.length };
  },
});

/** The same list, from a tool that does not declare truncationFields: the marker goes in a second text block. */
export const undeclaredList = defineTool({
  name: 'probe.undeclared_list',
  version: '1.0.0',
  title: 'Large list without truncation fields',
  description: 'Returns `count` rows; its output schema has no truncation fields.',
  access: 'read',
  scopes: ['probe:read'],
  maxResponseTokens: 2_000,
  inputSchema: z.object({ count: z.number().int().min(0).max(100_000) }).strict(),
  outputSchema: z.object({ rows: z.array(z.object({ id: z.string(), title: z.string() })) }),
  handler: (input) => ({ rows: Array.from({ length: input.count }, (_, index) => row(index)) }),
});

/** A list the schema says must hold at least 50 rows: no cut of it fits a small budget and stays valid. */
export const uncuttable = defineTool({
  name: 'probe.uncuttable',
  version: '1.0.0',
  title: 'A list that cannot be cut',
  description: 'Returns `count` rows, at least 50 by its output schema.',
  access: 'read',
  scopes: ['probe:read'],
  maxResponseTokens: 500,
  inputSchema: z.object({ count: z.number().int().min(50).max(100_000) }).strict(),
  outputSchema: z.object({ rows: z.array(z.object({ id: z.string(), title: z.string() })).min(50) }),
  handler: (input) => ({ rows: Array.from({ length: input.count }, (_, index) => row(index)) }),
});

export const cacheProbeTools = [cachedLookup, writeNote, largeList, undeclaredList, uncuttable];
