/**
 * Case 5: a FastMCP server as its README writes one: `addTool` with zod parameters and an output
 * schema, started on the httpStream transport in stateless mode (each request stands alone, as
 * a generated server's do). FastMCP speaks the 2025 (initialize) era only.
 */
import { FastMCP } from 'fastmcp';
import { z } from 'zod';

import { getRecord, portFromEnv, TOOL_DESCRIPTION, TOOL_NAME, TOOL_TITLE, toolResult } from './bench-call.js';

const server = new FastMCP({ name: 'records', version: '1.0.0' });

server.addTool({
  name: TOOL_NAME,
  description: TOOL_DESCRIPTION,
  annotations: { title: TOOL_TITLE, readOnlyHint: true },
  parameters: z.object({ id: z.string().max(64) }).strict(),
  outputSchema: z.object({ id: z.string(), name: z.string(), status: z.string(), updatedAt: z.string() }),
  execute: async ({ id }) => toolResult(getRecord(id)),
});

await server.start({
  transportType: 'httpStream',
  httpStream: { port: portFromEnv(), host: '127.0.0.1', stateless: true },
});
