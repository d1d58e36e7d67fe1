/**
 * Case 3: a hand-written SDK v2 server, written as docs/serving/http.md shows: createMcpHandler
 * with a factory that builds the McpServer and registers the tool (its zod schemas included)
 * on every request, mounted on node:http with toNodeHandler behind the localhost Host and
 * Origin guards. No authentication, rate limit, audit or metrics.
 */
import { createServer } from 'node:http';

import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

import { getRecord, portFromEnv, TOOL_DESCRIPTION, TOOL_NAME, TOOL_TITLE, toolResult } from './bench-call.js';

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'records', version: '1.0.0' });
  server.registerTool(
    TOOL_NAME,
    {
      title: TOOL_TITLE,
      description: TOOL_DESCRIPTION,
      inputSchema: z.object({ id: z.string().max(64) }).strict(),
      outputSchema: z.object({ id: z.string(), name: z.string(), status: z.string(), updatedAt: z.string() }),
      annotations: { readOnlyHint: true },
    },
    async ({ id }) => toolResult(getRecord(id)),
  );
  return server;
});

const nodeHandler = toNodeHandler(handler);
const validateHost = localhostHostValidation();
const validateOrigin = localhostOriginValidation();
createServer((req, res) => {
  if (!validateHost(req, res) || !validateOrigin(req, res)) return;
  void nodeHandler(req, res);
}).listen(portFromEnv(), '127.0.0.1');
