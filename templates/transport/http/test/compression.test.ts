/**
 * HTTP response compression, through the real server: large answers come back in the encoding
 * Accept-Encoding asks for (brotli or gzip) and decode to the same answer, JSON and SSE alike;
 * small answers and clients that ask for none get identity.
 */
import { request } from 'node:http';
import { brotliDecompressSync, createBrotliDecompress, gunzipSync } from 'node:zlib';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';

import { z } from 'zod';

import { defineTool } from '../src/tool-model/define-tool.js';
import { negotiate, withCompression } from '../src/transports/compression.js';
import { largeList, row } from './support/cache-probes.js';
import { startHttpServer, type TestHttpServer } from './support/http-server.js';
import { echo } from './support/probe-tools.js';

/** largeList's rows, sent to the client as a log message before the answer: a call that notifies is answered as SSE. */
const loggedList = defineTool({
  name: 'probe.logged_list',
  version: '1.0.0',
  title: 'Logged list',
  description: 'Logs `count` rows to the client, then returns them.',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({ count: z.number().int().min(0).max(1_000) }).strict(),
  outputSchema: z.object({ total: z.number().int() }),
  handler: async (input, ctx) => {
    await ctx.clientLog.info('rows', { rows: Array.from({ length: input.count }, (_, index) => row(index)) });
    return { total: input.count };
  },
});

/** Only catches a hang: servers start for real, on CI runners whose cores may all be busy. */
const SLOW_MACHINE_MS = 300_000;

interface Recorded {
  headers: Record<string, string>;
  body: string;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

describe('HTTP response compression', { timeout: SLOW_MACHINE_MS }, () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  }, SLOW_MACHINE_MS);

  const start = async (env: Record<string, string> = {}) => {
    server = await startHttpServer({ tools: [largeList, loggedList, echo], scopes: ['probe:read'], env });
    return server;
  };

  /**
   * Calls `tool` with a real SDK Client that asks for `acceptEncoding`; returns its result, the
   * Content-Encoding it got, and the exact tools/call request it sent (to replay raw).
   */
  const callWithClient = async (tool: string, args: Record<string, unknown>, era: 'modern' | 'legacy', acceptEncoding: string) => {
    let recorded: Recorded | undefined;
    let encoding: string | null = null;
    const client = new Client({ name: 'compression-test', version: '1.0.0' }, era === 'modern' ? { versionNegotiation: { mode: 'auto' } } : {});
    await client.connect(
      new StreamableHTTPClientTransport(server!.url, {
        requestInit: { headers: { ...server!.authHeaders, 'Accept-Encoding': acceptEncoding } },
        fetch: async (input, init) => {
          const body = typeof init?.body === 'string' ? init.body : '';
          const response = await fetch(input, init);
          if (body.includes('"tools/call"')) {
            recorded = { headers: Object.fromEntries(new Headers(init?.headers).entries()), body };
            encoding = response.headers.get('content-encoding');
          }
          return response;
        },
      }),
    );
    try {
      const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
      return { result, encoding, request: recorded! };
    } finally {
      await client.close();
    }
  };

  /** Replays a recorded request over node:http (which decodes nothing), with `acceptEncoding` or none. */
  const replay = (recorded: Recorded, acceptEncoding: string | undefined): Promise<RawAnswer> =>
    new Promise((resolve, reject) => {
      const headers = Object.fromEntries(Object.entries(recorded.headers).filter(([name]) => name !== 'accept-encoding'));
      const req = request(
        {
          host: server!.url.hostname,
          port: server!.url.port,
          path: server!.url.pathname,
          method: 'POST',
          headers: { ...headers, ...(acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {}), 'Content-Length': String(Buffer.byteLength(recorded.body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(recorded.body);
    });

  it('compresses a large JSON answer as the client asks, and it decodes to the same answer', async () => {
    await start();
    const { result, encoding, request: recorded } = await callWithClient(largeList.name, { count: 15 }, 'modern', 'gzip');
    // The real client asked for gzip, got it, and read the answer.
    expect(encoding).toBe('gzip');
    expect((result.structuredContent as { rows: unknown[] }).rows).toHaveLength(15);

    const identity = await replay(recorded, undefined);
    expect(identity.status).toBe(200);
    expect(identity.headers['content-type']).toMatch(/^application\/json/);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers['vary']).toMatch(/accept-encoding/i);
    const plain = JSON.parse(identity.body.toString('utf8')) as { result: CallToolResult };
    expect(plain.result.structuredContent).toEqual(result.structuredContent);

    const br = await replay(recorded, 'gzip;q=0.8, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.body.byteLength);
    expect(br.body.byteLength).toBeLessThan(identity.body.byteLength / 2);
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(plain);

    const gzip = await replay(recorded, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString('utf8'))).toEqual(plain);

    // Nothing the client accepts: identity.
    expect((await replay(recorded, 'deflate, br;q=0')).headers['content-encoding']).toBeUndefined();
  });

  it('compresses a large 2025-era answer: JSON, or SSE from the notification that opens it, every event decoding', async () => {
    await start();
    // A call that sends nothing before its result is answered as JSON, in this era too.
    const plain = await callWithClient(largeList.name, { count: 15 }, 'legacy', 'br');
    expect(plain.encoding).toBe('br');
    expect((plain.result.structuredContent as { rows: unknown[] }).rows).toHaveLength(15);
    expect((await replay(plain.request, undefined)).headers['content-type']).toMatch(/^application\/json/);

    const logged = await callWithClient(loggedList.name, { count: 15 }, 'legacy', 'br');
    expect(logged.encoding).toBe('br');
    expect(logged.result.structuredContent).toEqual({ total: 15 });
    const identity = await replay(logged.request, undefined);
    expect(identity.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(identity.headers['content-encoding']).toBeUndefined();
    const compressed = await replay(logged.request, 'br');
    expect(compressed.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.body.byteLength).toBeLessThan(identity.body.byteLength / 2);
    const events = [...brotliDecompressSync(compressed.body).toString('utf8').matchAll(/^data: (.+)$/gm)].map((match) => JSON.parse(match[1]!) as Record<string, unknown>);
    expect(events.map((event) => event['method'] ?? 'result')).toEqual(['notifications/message', 'result']);
    expect((events[0] as { params: { data: { rows: unknown[] } } }).params.data.rows).toHaveLength(15);
    expect((events[1] as { result: CallToolResult }).result.structuredContent).toEqual({ total: 15 });
  });

  it('never compresses a small answer, JSON or SSE', async () => {
    await start();
    for (const era of ['modern', 'legacy'] as const) {
      const { result, encoding, request: recorded } = await callWithClient(echo.name, { message: 'hi' }, era, 'br, gzip');
      expect(result.structuredContent).toMatchObject({ message: 'hi' });
      expect(encoding).toBeNull();
      const raw = await replay(recorded, 'br, gzip');
      expect(raw.headers['content-encoding']).toBeUndefined();
      expect(raw.body.toString('utf8')).toContain('"message":"hi"');
    }
  });

  it('follows HTTP_COMPRESSION and HTTP_COMPRESSION_MIN_BYTES', async () => {
    await start({ HTTP_COMPRESSION: 'gzip', HTTP_COMPRESSION_MIN_BYTES: '200000' });
    const { request: recorded } = await callWithClient(largeList.name, { count: 15 }, 'modern', 'br');
    // Above the default threshold, below this one.
    expect((await replay(recorded, 'gzip')).headers['content-encoding']).toBeUndefined();
    const { request: large } = await callWithClient(largeList.name, { count: 15 }, 'modern', 'br');
    expect((await replay(large, 'br')).headers['content-encoding']).toBeUndefined(); // br is not offered
    await server!.close();
    server = await startHttpServer({ tools: [largeList, echo], scopes: ['probe:read'], env: { HTTP_COMPRESSION: 'off' } });
    const { request: off } = await callWithClient(largeList.name, { count: 15 }, 'modern', 'br');
    expect((await replay(off, 'br, gzip')).headers['content-encoding']).toBeUndefined();
  });
});

describe('compression of event streams', { timeout: SLOW_MACHINE_MS }, () => {
  it('flushes each event, so the client decodes it before the next one is written', async () => {
    let push!: (chunk: string) => void;
    let end!: () => void;
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (chunk) => controller.enqueue(new TextEncoder().encode(chunk));
        end = () => controller.close();
      },
    });
    const handler = withCompression(
      { fetch: async () => new Response(source, { headers: { 'Content-Type': 'text/event-stream' } }) },
      { encodings: ['br'], minBytes: 100 },
    );
    const first = `event: message\ndata: ${JSON.stringify({ padding: 'x'.repeat(2_000) })}\n\n`;
    push(first);
    const response = await handler.fetch(new Request('http://test/mcp', { headers: { 'Accept-Encoding': 'br' } }));
    expect(response.headers.get('content-encoding')).toBe('br');

    // Decode as bytes arrive; the second event is written only once the first has been read whole.
    const decoder = createBrotliDecompress();
    let decoded = '';
    const decodedUpTo = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (decoded.includes(text)) {
            decoder.off('data', onData);
            resolve();
          }
        };
        const onData = (chunk: Buffer) => {
          decoded += chunk.toString('utf8');
          check();
        };
        decoder.on('data', onData);
        check();
      });
    const pumped = (async () => {
      for await (const chunk of response.body!) decoder.write(chunk);
      decoder.end();
    })();
    await decodedUpTo(first);
    const second = `event: message\ndata: ${JSON.stringify({ second: 'y'.repeat(500) })}\n\n`;
    push(second);
    await decodedUpTo(second);
    end();
    await pumped;
    expect(decoded).toBe(first + second);
  });

  it('negotiates by q-value, then by the server\'s order', () => {
    expect(negotiate('gzip, br', ['br', 'gzip'])).toBe('br');
    expect(negotiate('gzip, br', ['gzip', 'br'])).toBe('gzip');
    expect(negotiate('br;q=0.5, gzip', ['br', 'gzip'])).toBe('gzip');
    expect(negotiate('*', ['br', 'gzip'])).toBe('br');
    expect(negotiate('*;q=0, gzip', ['br', 'gzip'])).toBe('gzip');
    expect(negotiate('identity', ['br', 'gzip'])).toBeUndefined();
    expect(negotiate(null, ['br', 'gzip'])).toBeUndefined();
    expect(negotiate('br', [])).toBeUndefined();
  });
});
