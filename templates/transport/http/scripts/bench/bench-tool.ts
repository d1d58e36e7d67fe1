/**
 * The read tool `npm run bench` calls: a handler that does next to nothing, so the numbers
 * measure the server around it (transport, SDK, pipeline), not a backend.
 */
import { z } from 'zod';

import type { ToolDefinition } from '../../src/pipeline/define-tool.js';

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
