/**
 * Response compression for /mcp answers (HTTP_COMPRESSION, HTTP_COMPRESSION_MIN_BYTES): brotli or
 * gzip, as the client's Accept-Encoding allows (its q-values first, then the order of
 * HTTP_COMPRESSION), for JSON and SSE answers alike, never below the threshold, where the
 * encoding's own overhead and CPU cost more than the bytes saved.
 *
 * It wraps the SDK handler's `fetch` (the web Response), so the node:http code around it stays
 * as it is:
 *
 *   JSON  the answer is complete when the handler returns it: its size is known, and it is
 *         compressed whole (or sent as is when small).
 *   SSE   the size of a stream is not known in advance. The decision is made on its first event
 *         (the whole answer of a stateless tools/call, which is one event): a stream whose first
 *         event reaches the threshold is compressed, and each event is flushed as it is written,
 *         so the client decodes every event when it arrives, never waiting for the next. A stream
 *         that opens with a small event (a progress notification) is sent as is.
 *
 * Brotli runs at quality 4 (quality 11, the library default, is meant for static files and costs
 * about 40 times the CPU for a few per cent more); gzip at its default level.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, createBrotliCompress, createGzip, gzip, type BrotliOptions } from 'node:zlib';

import type { CompressionEncoding } from '../config.js';

export interface CompressionSettings {
  /** Encodings offered, in the server's order of preference; empty: never compress. */
  encodings: readonly CompressionEncoding[];
  /** Answers (or a stream's first event) smaller than this are sent as they are. */
  minBytes: number;
}

interface FetchHandler<Options> {
  fetch: (request: Request, options?: Options) => Promise<Response>;
}

const BROTLI: BrotliOptions = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
};
const compressBrotli = promisify(brotliCompress) as (buffer: Uint8Array, options: BrotliOptions) => Promise<Buffer>;
const compressGzip = promisify(gzip) as (buffer: Uint8Array) => Promise<Buffer>;

/** `handler` with its answers compressed as `settings` and each request's Accept-Encoding say. */
export function withCompression<Options>(handler: FetchHandler<Options>, settings: CompressionSettings): FetchHandler<Options> {
  if (settings.encodings.length === 0) return handler;
  return {
    fetch: async (request, options) => compressResponse(request.headers.get('accept-encoding'), await handler.fetch(request, options), settings),
  };
}

/** A handler's answer as withCompression gives it: `acceptEncoding` is the request's Accept-Encoding. */
export async function compressResponse(acceptEncoding: string | null, response: Response, settings: CompressionSettings): Promise<Response> {
  if (settings.encodings.length === 0) return response;
  const kind = compressibleKind(response);
  if (!kind || response.body === null) return response;
  const headers = new Headers(response.headers);
  // Caches between client and server must keep the encodings apart, whichever this one gets.
  headers.append('Vary', 'Accept-Encoding');
  const encoding = negotiate(acceptEncoding, settings.encodings);
  if (!encoding) return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  return kind === 'json' ? compressJson(response, headers, encoding, settings.minBytes) : compressEventStream(response, headers, encoding, settings.minBytes);
}

/** A whole body compressed with `encoding` (a JSON answer). */
export function compressBody(body: Uint8Array, encoding: CompressionEncoding): Promise<Uint8Array> {
  return encoding === 'br' ? compressBrotli(body, { ...BROTLI, params: { ...BROTLI.params, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } }) : compressGzip(body);
}

export function compressibleKind(response: Response): 'json' | 'sse' | undefined {
  if (response.headers.has('content-encoding') || response.status === 204 || response.status === 304) return undefined;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'text/event-stream') return 'sse';
  return undefined;
}

/**
 * The encoding to answer with: the highest q-value the client gives among those offered (an
 * encoding it does not name gets the q of `*`, else 0), ties going to the server's order.
 */
export function negotiate(acceptEncoding: string | null, offered: readonly CompressionEncoding[]): CompressionEncoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = parameters.map((parameter) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  let best: CompressionEncoding | undefined;
  let bestWeight = 0;
  for (const encoding of offered) {
    const weight = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = encoding;
      bestWeight = weight;
    }
  }
  return best;
}

async function compressJson(response: Response, headers: Headers, encoding: CompressionEncoding, minBytes: number): Promise<Response> {
  const body = new Uint8Array(await response.arrayBuffer());
  const init = { status: response.status, statusText: response.statusText, headers };
  if (body.byteLength < minBytes) return new Response(body, init);
  const compressed = await compressBody(body, encoding);
  headers.set('Content-Encoding', encoding);
  headers.set('Content-Length', String(compressed.byteLength));
  return new Response(compressed, init);
}

async function compressEventStream(response: Response, headers: Headers, encoding: CompressionEncoding, minBytes: number): Promise<Response> {
  const reader = response.body!.getReader();
  const first = await reader.read();
  const init = { status: response.status, statusText: response.statusText, headers };
  if (first.done) return new Response(null, init);
  if (first.value.byteLength < minBytes) return new Response(passThrough(first.value, reader), init);
  headers.set('Content-Encoding', encoding);
  headers.delete('Content-Length');
  return new Response(compressedEvents(first.value, reader, encoding), init);
}

/** The stream as it was, its first chunk already read. */
function passThrough(first: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first);
    },
    async pull(controller) {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** The stream compressed, flushed after every chunk the handler wrote (one SSE event each). */
function compressedEvents(first: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>, encoding: CompressionEncoding): ReadableStream<Uint8Array> {
  const compressor = encoding === 'br' ? createBrotliCompress(BROTLI) : createGzip();
  const flushKind = encoding === 'br' ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH;
  let cancelled = false;
  const writeFlushed = (chunk: Uint8Array) =>
    new Promise<void>((resolve) => {
      compressor.write(chunk);
      compressor.flush(flushKind, () => resolve());
    });
  return new ReadableStream<Uint8Array>({
    start(controller) {
      compressor.on('data', (chunk: Buffer) => {
        if (!cancelled) controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      });
      compressor.once('end', () => {
        if (!cancelled) controller.close();
      });
      compressor.once('error', (error) => {
        if (!cancelled) controller.error(error);
      });
      void (async () => {
        try {
          await writeFlushed(first);
          for (;;) {
            const next = await reader.read();
            if (next.done || cancelled) break;
            await writeFlushed(next.value);
          }
          if (!cancelled) compressor.end();
        } catch (error) {
          compressor.destroy(error as Error);
        }
      })();
    },
    cancel(reason) {
      cancelled = true;
      compressor.destroy();
      return reader.cancel(reason);
    },
  });
}
