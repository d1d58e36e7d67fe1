/**
 * A stand-in for your API in the tests of the tools imported from its OpenAPI document: it
 * records every request (method, path, query, headers, JSON or form body) and answers each with what
 * the test set (`answer`), 200 `{}` by default, or fails the next ones as told (`failNext`). The
 * tests check that a tool sends exactly the call its operation describes, with the tenant's own
 * credential, and which calls are retried.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The path without the query. */
  path: string;
  /** A name sent more than once (an exploded query array) holds every value, in order. */
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or a form's fields as `query` holds a query's; undefined when there was none. */
  body: unknown;
}

export interface RecordingApi {
  url: string;
  requests: RecordedRequest[];
  /** How the next requests are answered. */
  answer(status: number, body?: unknown): void;
  /**
   * The next requests fail, one per fault, before `answer` applies again: a status (503) is
   * answered with it; `drop` reads the request (recorded: it reached the API) and closes the
   * connection without an answer.
   */
  failNext(...faults: Array<number | 'drop'>): void;
  close(): Promise<void>;
}

export async function startRecordingApi(): Promise<RecordingApi> {
  const requests: RecordedRequest[] = [];
  let reply: { status: number; body: unknown } = { status: 200, body: {} };
  const faults: Array<number | 'drop'> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        const form = String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded');
        body = text === '' ? undefined : form ? queryOf(new URLSearchParams(text)) : JSON.parse(text);
      } catch {
        body = text;
      }
      requests.push({ method: req.method ?? '', path: url.pathname, query: queryOf(url.searchParams), headers: req.headers, body });
      const fault = faults.shift();
      if (fault === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault !== undefined) {
        res.writeHead(fault, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'failing' }));
        return;
      }
      if (reply.body === undefined) {
        res.writeHead(reply.status).end();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(req.method === 'HEAD' ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    answer: (status, body) => {
      reply = { status, body };
    },
    failNext: (...next) => {
      faults.push(...next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  return query;
}
