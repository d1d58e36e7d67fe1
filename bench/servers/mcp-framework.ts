/**
 * Case 6: an mcp-framework server as its README writes one: an MCPTool class with a zod schema
 * (and an output schema, so results carry structuredContent), served on the http-stream
 * transport in its default batch (JSON) mode. That transport keeps sessions: a client opens one
 * with initialize and sends calls in it, so this case runs calls in one open session (cheaper
 * per call than the stateless servers, which build a server per request). 2025 era only: it
 * is built on SDK v1.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { MCPServer, MCPTool } from 'mcp-framework';

import { getRecord, portFromEnv, TOOL_DESCRIPTION, TOOL_NAME, TOOL_TITLE } from './bench-call.js';

// mcp-framework recognises schemas with `instanceof` against its own zod 3 (the ES module
// build): import that very copy.
const zodPackage = createRequire(import.meta.resolve('mcp-framework')).resolve('zod/package.json');
const { z } = (await import(pathToFileURL(join(dirname(zodPackage), 'index.js')).href)) as typeof import('zod/v3');

const inputSchema = z.object({ id: z.string().max(64).describe('Record id') }).strict();

const outputSchema = z.object({
  id: z.string().describe('Record id'),
  name: z.string().describe('Name'),
  status: z.string().describe('Status'),
  updatedAt: z.string().describe('ISO 8601 timestamp'),
});

class GetRecordTool extends MCPTool {
  name = TOOL_NAME;
  title = TOOL_TITLE;
  description = TOOL_DESCRIPTION;
  schema = inputSchema;
  // Typed against zod 4's v3 types, checked at run time by mcp-framework's own zod 3.
  protected outputSchemaShape = outputSchema as never;

  async execute(input: { id: string }) {
    return getRecord(input.id);
  }
}

const server = new MCPServer({
  name: 'records',
  version: '1.0.0',
  transport: { type: 'http-stream', options: { port: portFromEnv(), host: '127.0.0.1', responseMode: 'batch' } },
});
server.addTool(GetRecordTool);
await server.start();
