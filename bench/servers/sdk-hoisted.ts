/**
 * Case 4: the hand-written SDK v2 server of case 3 with one change a careful author makes: the
 * zod schemas and the tool's config are built once at module scope, so the per-request factory
 * only creates the McpServer and registers the tool.
 */
import { createServer } from 'node:http';

import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

import { getRecord, portFromEnv, TOOL_DESCRIPTION, TOOL_NAME, TOOL_TITLE, toolResult } from './bench-call.js';

const config = {
  title: TOOL_TITLE,
  description: TOOL_DESCRIPTION,
  inputSchema: z.object({ id: z.string().max(64) }).strict(),
  outputSchema: z.object({ id: z.string(), name: z.string(), status: z.string(), updatedAt: z.string() }),
  annotations: { readOnlyHint: true },
};

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'records', version: '1.0.0' });
  server.registerTool(TOOL_NAME, config, async ({ id }) => toolResult(getRecord(id)));
  return server;
});

const nodeHandler = toNodeHandler(handler);
const validateHost = localhostHostValidation();
const validateOrigin = localhostOriginValidation();
createServer((req, res) => {
  if (!validateHost(req, res) || !validateOrigin(req, res)) return;
  void nodeHandler(req, res);
}).listen(portFromEnv(), '127.0.0.1');
