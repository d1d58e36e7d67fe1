/**
 * A 2025-era tools/call (a single JSON-RPC request without the 2026-07-28 `_meta` envelope),
 * served on the SDK's single-exchange transport, as createMcpHandler serves every 2026-07-28
 * request: the answer is JSON, or an SSE stream from the first notification the call sends
 * (progress, a client log message) to its result.
 *
 * createMcpHandler's own fallback for 2025-era traffic answers every request as an SSE stream
 * (its WebStandardStreamableHTTPServerTransport in stream mode, since JSON mode would drop those
 * notifications), wraps that stream in a second one to learn when to tear the server down, and
 * validates the message with zod again. A 2025 Streamable HTTP client accepts both answers to a
 * POST (it must send `Accept: application/json, text/event-stream`); the JSON one costs less per
 * call (bench/RESULTS.md in create-mcp-server measured it).
 *
 * Only tools/call, the method a server answers most: its handler is always registered, so the
 * call is never refused before it reaches it, where the single-exchange transport would answer
 * with an HTTP error status (404 for an unknown method) and a 2025 client expects 200. Anything
 * else, and what the SDK's 2025 transport refuses (an Accept without both types, an unsupported
 * MCP-Protocol-Version), is left to createMcpHandler: `undefined` here.
 */
import {
  classifyInboundRequest,
  PerRequestHTTPServerTransport,
  SdkError,
  SdkErrorCode,
  SUPPORTED_PROTOCOL_VERSIONS,
  type AuthInfo,
  type JSONRPCRequest,
  type McpServer,
} from '@modelcontextprotocol/server';

/** Serves `body` when it is a 2025-era tools/call; `undefined` leaves the request to createMcpHandler. */
export type LegacyToolCall = (request: Request, body: unknown, authInfo: AuthInfo | undefined) => Promise<Response> | undefined;

export function legacyToolCalls(createServer: (authInfo: AuthInfo | undefined) => McpServer): LegacyToolCall {
  return (request, body, authInfo) => {
    if (!namesToolCall(body)) return undefined;
    const header = (name: string) => request.headers.get(name) ?? undefined;
    const accept = header('accept');
    if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
    const protocolVersionHeader = header('mcp-protocol-version');
    if (protocolVersionHeader !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersionHeader)) return undefined;
    // The SDK's own era decision, so the two paths never disagree on which era a request is.
    const route = classifyInboundRequest({
      httpMethod: 'POST',
      protocolVersionHeader,
      mcpMethodHeader: header('mcp-method'),
      mcpNameHeader: header('mcp-name'),
      body,
    });
    // 'no-claim' is only ever a well-formed JSON-RPC request (the classifier checked its shape).
    if (route.kind !== 'legacy' || route.reason !== 'no-claim') return undefined;
    return serve(createServer(authInfo), body as JSONRPCRequest, request, authInfo);
  };
}

async function serve(server: McpServer, message: JSONRPCRequest, request: Request, authInfo: AuthInfo | undefined): Promise<Response> {
  const transport = new PerRequestHTTPServerTransport({ classification: { era: 'legacy' } });
  await server.connect(transport);
  try {
    // The transport closes itself (and so the server) once the result is sent, and on the
    // request's abort signal when the client goes away first.
    return await transport.handleMessage(message, { request, ...(authInfo !== undefined && { authInfo }) });
  } catch (error) {
    // The client went away before the result: nobody reads the answer (499, as createMcpHandler says it).
    if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed) return new Response(null, { status: 499 });
    await server.close().catch(() => undefined);
    throw error;
  }
}

/** A cheap look before the classifier: is this a tools/call at all? */
function namesToolCall(body: unknown): boolean {
  return body !== null && typeof body === 'object' && (body as { method?: unknown }).method === 'tools/call';
}
