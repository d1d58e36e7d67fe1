/**
 * Case 7: the floor. A plain node:http JSON-RPC responder, no MCP library: it reads the body,
 * parses it, runs the same handler and writes the tools/call result as JSON. No protocol
 * handling beyond that (no validation, no negotiation, no guards), so no MCP server can be
 * faster; the gap to it is what the protocol libraries cost.
 */
import { createServer } from 'node:http';

import { getRecord, portFromEnv, TOOL_NAME, toolResult } from './bench-call.js';

interface Call {
  id?: string | number | null;
  method?: string;
  params?: { name?: string; arguments?: { id?: unknown } };
}

const SERVER_INFO = { name: 'records', version: '1.0.0' };
const INITIALIZE_RESULT = { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: SERVER_INFO };
const DISCOVER_RESULT = { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: SERVER_INFO, resultType: 'complete' };

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let call: Call;
    try {
      call = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Call;
    } catch {
      return send(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    // Just enough of the handshakes for a real client to get to tools/call (what is measured).
    if (call.method === 'initialize') return send(res, 200, { jsonrpc: '2.0', id: call.id ?? null, result: INITIALIZE_RESULT });
    if (call.method === 'server/discover') return send(res, 200, { jsonrpc: '2.0', id: call.id ?? null, result: DISCOVER_RESULT });
    if (call.id === undefined) return void res.writeHead(202).end(); // a notification
    if (call.method !== 'tools/call' || call.params?.name !== TOOL_NAME) {
      return send(res, 200, { jsonrpc: '2.0', id: call.id ?? null, error: { code: -32601, message: 'Method not found' } });
    }
    const result = toolResult(getRecord(String(call.params.arguments?.id)));
    // A 2026-07-28 client expects resultType on every result.
    const modern = req.headers['mcp-protocol-version'] === '2026-07-28';
    send(res, 200, { jsonrpc: '2.0', id: call.id ?? null, result: modern ? { ...result, resultType: 'complete' } : result });
  });
}).listen(portFromEnv(), '127.0.0.1');

function send(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
