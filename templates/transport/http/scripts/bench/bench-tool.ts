/**
 * The read tools `npm run bench` calls: handlers that do next to nothing, so the numbers
 * measure the server around them (transport, SDK, pipeline), not a backend. `benchTool` is the
 * main comparison's; the cached one and the list (a large answer) measure the response cache
 * and compression.
 */
import { z } from 'zod';

import type { ToolDefinition } from '../../src/tool-model/define-tool.js';

const inputSchema = z.object({ id: z.string().max(64) }).strict();
const outputSchema = z.object({ id: z.string(), name: z.string(), status: z.string(), updatedAt: z.string() });

export const benchTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'bench.get_record',
  version: '1.0.0',
  title: 'Get a record (benchmark)',
  description: 'Returns a small record by id.',
  access: 'read',
  scopes: ['bench:read'],
  inputSchema,
  outputSchema,
  handler: (input) => getRecord(input.id),
};

/** The tool's whole work, which the pipeline-off server calls directly. */
export function getRecord(id: string) {
  return { id, name: `Record ${id}`, status: 'active', updatedAt: '2026-01-01T00:00:00.000Z' };
}

/** The same tool with a response cache: every call after the first of a run is a hit. */
export const cachedBenchTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  ...benchTool,
  name: 'bench.get_record_cached',
  title: 'Get a record, cached (benchmark)',
  cache: { ttlSeconds: 3600 },
};

const listInput = z.object({ count: z.number().int().min(1).max(500) }).strict();
const listOutput = z.object({ records: z.array(outputSchema), total: z.number().int() });

/** `count` records (about 110 bytes each): an answer large enough to compress. */
export const listBenchTool: ToolDefinition<typeof listInput, typeof listOutput> = {
  name: 'bench.list_records',
  version: '1.0.0',
  title: 'List records (benchmark)',
  description: 'Returns count records.',
  access: 'read',
  scopes: ['bench:read'],
  inputSchema: listInput,
  outputSchema: listOutput,
  handler: (input) => {
    const records = Array.from({ length: input.count }, (_, index) => getRecord(`rec_${index}`));
    return { records, total: records.length };
  },
};

/** Every tool the bench servers serve. */
export const benchTools = [benchTool, cachedBenchTool, listBenchTool];
