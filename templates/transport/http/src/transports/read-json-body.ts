/**
 * Reads a POST /mcp body before the SDK handler sees it, and refuses what is not JSON text:
 *
 *   413  more than MCP_MAX_BODY_BYTES arrived (the declared size is checked before this)
 *   400  the bytes are not valid UTF-8 (JSON text is UTF-8: RFC 8259 §8.1), or not JSON  (-32700)
 *   400  arrays and objects nested deeper than MAX_JSON_DEPTH                             (-32600)
 *
 * Without this, invalid UTF-8 would be decoded with replacement characters and the call run on
 * arguments the client never sent. Without the depth limit, a small body nested a few thousand
 * levels deep would overflow the stack of every recursive step after parsing (a 500). The parsed
 * body is handed to the SDK (toNodeHandler's `parsedBody`), which then neither reads the stream
 * nor parses it again.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

/** Deeper than any MCP message needs; far below what recursion over the parsed value survives. */
export const MAX_JSON_DEPTH = 100;

export type JsonBody =
  | { ok: true; value: unknown }
  | { ok: false; status: 400 | 413; code: number; message: string; headers?: Record<string, string> };

/** Whether a Content-Type names JSON (parameters such as charset allowed). */
export function isJsonContentType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType !== undefined && /^application\/[\w.+-]+\+json$/.test(mediaType));
}

/** Reads the body (with plain stream events: the async iterator costs more per request). */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (body: JsonBody) => {
      if (settled) return;
      settled = true;
      resolve(body);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return; // past the limit: the rest is discarded, the connection closes after the 413
      received += chunk.length;
      if (received > maxBytes) {
        settle({ ok: false, status: 413, code: -32000, message: `Request body larger than ${maxBytes} bytes`, headers: { Connection: 'close' } });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle(parse(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received))));
    // The client went away mid-body: whatever is answered goes nowhere, but nothing is left waiting.
    req.on('error', () => settle({ ok: false, status: 400, code: -32700, message: 'Parse error: the request body could not be read' }));
  });
}

function parse(bytes: Buffer): JsonBody {
  if (!isUtf8(bytes)) return { ok: false, status: 400, code: -32700, message: 'Parse error: the request body is not valid UTF-8' };
  if (nestingDepth(bytes) > MAX_JSON_DEPTH) {
    return { ok: false, status: 400, code: -32600, message: `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400, code: -32700, message: 'Parse error: the request body is not valid JSON' };
  }
}

/**
 * The deepest nesting of arrays and objects in JSON text, counted on the bytes (outside strings):
 * in valid UTF-8 no byte of a multi-byte character is ASCII, so brackets and quotes are found as is.
 */
function nestingDepth(bytes: Buffer): number {
  // Fewer brackets than the limit cannot nest past it: count them natively before walking.
  let brackets = 0;
  for (const bracket of [0x7b, 0x5b]) {
    for (let at = bytes.indexOf(bracket); at !== -1 && brackets <= MAX_JSON_DEPTH; at = bytes.indexOf(bracket, at + 1)) brackets++;
  }
  if (brackets <= MAX_JSON_DEPTH) return brackets;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === 0x5c /* \\ */) i++;
      else if (byte === 0x22 /* " */) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b /* { */ || byte === 0x5b /* [ */) {
      if (++depth > deepest) deepest = depth;
    } else if (byte === 0x7d /* } */ || byte === 0x5d /* ] */) depth--;
  }
  return deepest;
}
