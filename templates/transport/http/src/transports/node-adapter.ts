/**
 * The SDK handler (createMcpHandler's fetch face) on node:http, for a request whose JSON body
 * mcp-endpoint.ts has already read and parsed: what toNodeHandler does, without its costs that
 * buy nothing here.
 *
 *   - The web Request carries no body. Given `parsedBody`, the SDK reads the message from it
 *     and never from the Request (both eras), so toNodeHandler's JSON.stringify of the parsed
 *     body, its byte count and the body stream built from it are work nobody reads. The headers
 *     are the client's, as sent.
 *   - A 2025-era tools/call is served on the SDK's single-exchange transport, answered in JSON
 *     unless it notifies (legacy-tool-call.ts), not by createMcpHandler's always-SSE fallback.
 *   - A JSON answer (not a stream) is written in one piece with its Content-Length, instead of
 *     chunk by chunk through the response's stream: the same bytes, one write. Compressed as
 *     compression.ts does, when Accept-Encoding asks and it is big enough.
 *
 * Anything else (an SSE answer, a body the SDK must read itself) goes the SDK's own way:
 * streamed as toNodeHandler streams it, or handed to toNodeHandler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { toNodeHandler } from '@modelcontextprotocol/node';
import type { AuthInfo } from '@modelcontextprotocol/server';

import { compressBody, compressibleKind, compressResponse, negotiate, withCompression, type CompressionSettings } from './compression.js';
import type { LegacyToolCall } from './legacy-tool-call.js';

export type McpFetchHandler = {
  fetch: (request: Request, options?: { authInfo?: AuthInfo; parsedBody?: unknown }) => Promise<Response>;
};

/** Forwards a request to the SDK handler; `parsedBody`: the JSON body already read from `req`. */
export type ForwardToMcp = (req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse, parsedBody?: unknown) => Promise<void>;

export function nodeMcpHandler(
  handler: McpFetchHandler,
  options: { maxRequestBodySize: number; compression: CompressionSettings; onerror: (error: Error) => void; legacyToolCall: LegacyToolCall },
): ForwardToMcp {
  // A request whose body the SDK must read itself (none was parsed here): as the SDK adapts it.
  const sdkAdapter = toNodeHandler(withCompression(handler, options.compression), { maxRequestBodySize: options.maxRequestBodySize, onerror: options.onerror });
  const { encodings, minBytes } = options.compression;

  return async (req, res, parsedBody) => {
    if (parsedBody === undefined) return sdkAdapter(req, res);
    let finished = false;
    const abort = new AbortController();
    res.on('close', () => {
      if (!finished) abort.abort();
    });
    if (res.destroyed) abort.abort();
    let response: Response;
    try {
      const request = webRequestOf(req, abort.signal);
      response = await (options.legacyToolCall(request, parsedBody, req.auth) ?? handler.fetch(request, { ...(req.auth !== undefined && { authInfo: req.auth }), parsedBody }));
    } catch (error) {
      try {
        options.onerror(error instanceof Error ? error : new Error(String(error)));
      } catch {
        // an observer's failure is not the request's
      }
      response = internalServerError(parsedBody);
    }
    if (response.body !== null && compressibleKind(response) === 'json') {
      // The whole JSON answer at once: one write, with its length.
      let body: Uint8Array = new Uint8Array(await response.arrayBuffer());
      const headers = headersOf(response.headers);
      if (encodings.length > 0) {
        headers['vary'] = headers['vary'] ? `${headers['vary']}, Accept-Encoding` : 'Accept-Encoding';
        const encoding = negotiate(req.headers['accept-encoding'] ?? null, encodings);
        if (encoding && body.byteLength >= minBytes) {
          body = await compressBody(body, encoding);
          headers['content-encoding'] = encoding;
        }
      }
      headers['content-length'] = String(body.byteLength);
      finished = true;
      res.writeHead(response.status, headers);
      res.end(body);
      return;
    }
    // A stream (SSE) or an answer without a body: compressed and written as ever.
    response = await compressResponse(req.headers['accept-encoding'] ?? null, response, options.compression);
    await writeStreamed(response, res, abort.signal, () => (finished = true));
  };
}

/** The web Request the SDK handler reads: method, URL, the client's headers, and a signal aborted when the client goes away. */
function webRequestOf(req: IncomingMessage, signal: AbortSignal): Request {
  const host = req.headers.host ?? 'localhost';
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.charCodeAt(0) === 58 /* ':' */) continue;
    headers.append(name, raw[i + 1]!);
  }
  return new Request(`http://${host}${req.url ?? '/'}`, { method: (req.method ?? 'GET').toUpperCase(), headers, signal });
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name] = value;
  return out;
}

/** As toNodeHandler writes a streamed answer: chunk by chunk, waiting for drain, stopping when the client leaves. */
async function writeStreamed(response: Response, res: ServerResponse, signal: AbortSignal, done: () => void): Promise<void> {
  res.writeHead(response.status, headersOf(response.headers));
  if (response.body === null) {
    done();
    res.end();
    return;
  }
  let drainResolve: (() => void) | undefined;
  res.on('drain', () => {
    drainResolve?.();
    drainResolve = undefined;
  });
  const closed = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (signal.aborted) break;
      if (!res.write(chunk)) await Promise.race([new Promise<void>((resolve) => (drainResolve = resolve)), closed]);
    }
  } catch {
    // the stream failed or was cancelled: end what was sent
  }
  done();
  res.end();
}

function internalServerError(parsedBody: unknown): Response {
  const body = parsedBody as { method?: unknown; id?: unknown } | null;
  const single = body !== null && typeof body === 'object' && !Array.isArray(body) && typeof body.method === 'string';
  const id = single && (typeof body.id === 'string' || typeof body.id === 'number') ? body.id : null;
  return Response.json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id }, { status: 500 });
}
