/**
 * Starts the real HTTP transport (same createApp + serveOverHttp as `npm start`) on a free
 * loopback port, with a credential for one tenant, and connects real SDK Clients to it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { createApp, type App } from '../../src/app.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/observability/logger.js';
import type { AnyTool } from '../../src/tool-model/define-tool.js';
import { serveOverHttp, type RunningHttpServer } from '../../src/transports/http.js';
import { startTestBackends } from './test-backends.js';
import { testCredential } from './test-credential.js';

export interface TestHttpServer {
  url: URL;
  app: App;
  running: RunningHttpServer;
  /** Headers that authenticate as the test tenant. */
  authHeaders: Record<string, string>;
  /** Scratch directory, removed on close. */
  dir: string;
  connect(options?: { headers?: Record<string, string>; era?: 'modern' | 'legacy' }): Promise<Client>;
  auditRecords(): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

export async function startHttpServer(
  options: {
    env?: Record<string, string>;
    tenant?: string;
    tools?: readonly AnyTool[];
    /** the credential's scopes (default: every registry tool's) */
    scopes?: string[];
    /** where the server logs (default: nowhere, LOG_LEVEL=silent) */
    logger?: Logger;
  } = {},
): Promise<TestHttpServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-http-test-'));
  const auditFile = join(dir, 'audit.jsonl');
  const credential = await testCredential(dir, options.tenant ?? 'acme', options.scopes);
  // What the backends need in a test (test-backends.ts), as the in-process harness gets it.
  const backends = await startTestBackends();
  const config = loadConfig({
    MCP_TRANSPORT: 'http',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    AUDIT_LOG: auditFile,
    ...credential.env,
    ...backends.env,
    ...options.env,
  });
  const app = await createApp(config, { ...(options.tools ? { tools: options.tools } : {}), ...(options.logger ? { logger: options.logger } : {}) }).catch(
    async (error: unknown) => {
      await backends.close();
      throw error;
    },
  );
  const running = await serveOverHttp(app);
  const clients: Client[] = [];
  return {
    url: running.url,
    app,
    running,
    authHeaders: credential.headers,
    dir,
    async connect({ headers = credential.headers, era = 'modern' } = {}) {
      const client = new Client({ name: 'http-test', version: '1.0.0' }, era === 'modern' ? { versionNegotiation: { mode: 'auto' } } : {});
      await client.connect(new StreamableHTTPClientTransport(running.url, { requestInit: { headers } }));
      clients.push(client);
      return client;
    },
    async auditRecords() {
      await app.audit.flush();
      try {
        return readFileSync(auditFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditRecord);
      } catch {
        return [];
      }
    },
    async close() {
      for (const client of clients) await client.close().catch(() => {});
      await running.stopAccepting();
      // At once, answered or not: a test ends with what it awaited (shutdown.ts is main's graceful stop).
      await running.close(0);
      await app.close();
      await backends.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ConnectAttempt {
  /** Whether a Client could connect and list tools with these headers. */
  connected: boolean;
  /** The HTTP status and WWW-Authenticate of the server's last answer. */
  status: number | undefined;
  challenge: string | null | undefined;
}

/** Connects a real SDK Client with `headers`, recording what the server answered. */
export async function attemptConnect(url: URL, headers: Record<string, string>): Promise<ConnectAttempt> {
  let last: Response | undefined;
  const client = new Client({ name: 'attempt', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers },
    fetch: async (input, init) => (last = await fetch(input, init)),
  });
  let connected = false;
  try {
    await client.connect(transport);
    await client.listTools();
    connected = true;
  } catch {
    // refused: the status and challenge below say how
  } finally {
    await client.close().catch(() => {});
  }
  return { connected, status: last?.status, challenge: last?.headers.get('www-authenticate') };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP request (node:http, so Host and other headers go out exactly as given). */
export function rawRequest(
  url: URL,
  /** A header given as a list is sent once per value. */
  options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path ?? url.pathname,
        headers: {
          ...options.headers,
          ...(options.body !== undefined && !options.chunked ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // A server may answer (413, 401) and close before reading the whole body: that is fine.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    if (options.body !== undefined) {
      if (options.chunked) {
        // No Content-Length: the body arrives in pieces, so only a streaming limit can catch it.
        const body = Buffer.from(options.body);
        for (let offset = 0; offset < body.length; offset += 16_384) req.write(body.subarray(offset, offset + 16_384));
      } else {
        req.write(options.body);
      }
    }
    req.end();
  });
}

/** A JSON-RPC initialize request body (2025 era) padded to at least `bytes`. */
export function initializeBody(bytes = 0): string {
  const body = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1.0.0' },
      _meta: { padding: 'x'.repeat(Math.max(0, bytes)) },
    },
  };
  return JSON.stringify(body);
}

export const MCP_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
