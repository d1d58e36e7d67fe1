/**
 * Hostile input at a generated server's HTTP endpoint: 10,000 generated cases (malformed JSON,
 * wrong JSON-RPC shapes, schema-violating arguments, unknown tools and methods, missing and
 * hostile headers, invalid UTF-8, deep nesting, bodies over the limit, other methods and paths,
 * raw bytes no HTTP client sends), 8 at a time, while another tenant keeps calling a tool
 * correctly. The server must never answer 5xx or crash, must refuse every case that breaks the
 * protocol or the schema (a 4xx, a JSON-RPC error or an isError tool result), must never leak a
 * stack trace, a path or a key, and must answer every correct call meanwhile.
 *
 * STRESS_FUZZ_CASES and STRESS_FUZZ_SEED override the count (default 10,000) and the seed
 * (default: a new one, printed, so a failure can be replayed).
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { HANG_MS, startHttp, type RunningServer } from '../e2e/generated-repo.js';
import { tempDir } from '../support/temp-dir.js';
import { generateCases, type FuzzCase } from './support/http-fuzz-cases.js';
import { createKey } from './support/keys.js';

const repo = inject('stressRepo');
const CASES = Number(process.env.STRESS_FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.STRESS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 8;
const MAX_BODY_BYTES = 65_536;

let scratch: string;
let removeScratch: () => Promise<void>;
let server: RunningServer | undefined;
let fuzzKey: string;
let canaryKey: string;
let auditFile: string;

beforeAll(async () => {
  ({ path: scratch, remove: removeScratch } = await tempDir('cms-fuzz-'));
  const keysFile = join(scratch, 'keys.json');
  fuzzKey = await createKey(repo, keysFile, 'fuzz', 'tools:read,tools:write');
  canaryKey = await createKey(repo, keysFile, 'canary', 'tools:read');
  auditFile = join(scratch, 'audit.jsonl');
  server = await startHttp(repo, {
    MCP_API_KEYS_FILE: keysFile,
    AUDIT_LOG: auditFile,
    LOG_LEVEL: 'info',
    MCP_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    // High enough that fuzz cases reach validation instead of the limiter (the load test covers limits).
    RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
    RATE_LIMIT_TOOL_PER_MINUTE: '1000000',
    RATE_LIMIT_CLIENT_PER_MINUTE: '1000000',
    RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE: '10000000',
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await removeScratch?.();
});

interface Answer {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The connection closed or timed out without a response. */
  noResponse?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(url: URL, fuzz: FuzzCase): Promise<Answer> {
  if (fuzz.raw) return sendRaw(url, fuzz.raw);
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...fuzz.headers };
    if (fuzz.body && !fuzz.chunked && headers['content-length'] === undefined) headers['content-length'] = String(fuzz.body.length);
    const req = request(
      { host: url.hostname, port: url.port, method: fuzz.method, path: fuzz.path, headers, agent, setHost: !fuzz.omitHost && !headers.host, timeout: HANG_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), noResponse: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ headers: {}, body: '', noResponse: error.message }));
    if (fuzz.body) req.end(fuzz.body);
    else req.end();
  });
}

function sendRaw(url: URL, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const done = (noResponse?: string) => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: status ? Number(status) : undefined, headers: {}, body: split >= 0 ? text.slice(split + 4) : '', noResponse: status ? undefined : (noResponse ?? 'closed') });
    };
    socket.setTimeout(1_500, () => done('timed out'));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => done());
    socket.on('error', (error) => done(error.message));
    socket.write(bytes);
  });
}

/** The JSON-RPC messages of a body (JSON or an SSE stream); throws if it is neither. */
function messages(answer: Answer): Array<Record<string, unknown>> {
  const type = String(answer.headers['content-type'] ?? '');
  const texts = type.includes('text/event-stream')
    ? answer.body
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .filter(Boolean)
    : [answer.body];
  return texts.flatMap((text) => {
    const parsed = JSON.parse(text) as unknown;
    return (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
  });
}

/** What must never appear in an answer: stack frames, source paths, keys. */
function leaks(text: string): string[] {
  const found: string[] = [];
  if (/\n\s+at [\w.<>]+ \(|\bat (?:async )?[\w.]+ \(\/|node:internal/.test(text)) found.push('a stack trace');
  if (/node_modules|\/src\/|\.ts:\d|\/dist\/|\/tmp\//.test(text)) found.push('a source path');
  if (text.includes(repo)) found.push('the repo path');
  if (text.includes(fuzzKey) || text.includes(canaryKey)) found.push('an API key');
  if (/\b(?:TypeError|ReferenceError|RangeError|SyntaxError): .*(?:undefined|null|reading|Maximum call stack)/.test(text)) found.push('an internal error message');
  return found;
}

/** A minimal JSON Schema check for the contract lock's tool input schemas (objects of scalars and string lists). */
function schemaAccepts(schema: Record<string, any>, value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const properties = (schema.properties ?? {}) as Record<string, Record<string, any>>;
  for (const required of (schema.required ?? []) as string[]) if (!(required in value)) return false;
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    if (!property) {
      if (schema.additionalProperties === false) return false;
      continue;
    }
    if (!valueMatches(property, item)) return false;
  }
  return true;
}

function valueMatches(schema: Record<string, any>, value: unknown): boolean {
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' && (schema.maxLength === undefined || value.length <= schema.maxLength) && (schema.minLength === undefined || value.length >= schema.minLength);
    case 'integer':
      return Number.isInteger(value) && (schema.minimum === undefined || (value as number) >= schema.minimum) && (schema.maximum === undefined || (value as number) <= schema.maximum);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value) && value.every((item) => valueMatches(schema.items ?? {}, item));
    default:
      throw new Error(`schemaAccepts does not know ${JSON.stringify(schema)}`);
  }
}

/** A correct call's exact HTTP request, recorded from a real SDK Client, and its answer checked. */
async function correctCall(url: URL, key: string): Promise<() => Promise<string | undefined>> {
  let recorded: { headers: Record<string, string>; body: string } | undefined;
  const client = new Client({ name: 'canary', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
      fetch: async (input, init) => {
        const body = typeof init?.body === 'string' ? init.body : '';
        if (body.includes('"tools/call"')) recorded = { headers: Object.fromEntries(new Headers(init?.headers).entries()), body };
        return fetch(input, init);
      },
    }),
  );
  await client.callTool({ name: 'search_customers', arguments: { query: 'example', limit: 5 } });
  await client.close();
  if (!recorded) throw new Error('no tools/call recorded');
  const { headers, body } = recorded;
  return async () => {
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(HANG_MS) });
      const text = await response.text();
      if (response.status !== 200) return `status ${response.status}: ${text.slice(0, 200)}`;
      const answer = messages({ status: 200, headers: { 'content-type': response.headers.get('content-type') ?? '' }, body: text })[0] as {
        result?: { isError?: boolean; structuredContent?: { total?: number } };
      };
      // The canary tenant has no seed data: a correct answer is an empty, successful search.
      if (answer?.result?.isError !== false && answer?.result?.isError !== undefined) return `tool error: ${text.slice(0, 200)}`;
      if (answer?.result?.structuredContent?.total !== 0) return `unexpected result: ${text.slice(0, 200)}`;
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

describe(`HTTP fuzz of a generated server (${CASES} cases, seed ${SEED})`, () => {
  it('refuses every hostile request cleanly, leaks nothing, and keeps serving correct calls', async () => {
    const url = new URL(server!.url);
    const lock = JSON.parse(readFileSync(join(repo, 'contracts', 'tools.lock.json'), 'utf8')) as { tools: Record<string, { inputSchema: Record<string, any> }> };
    const cases = generateCases(CASES, SEED, {
      host: url.host,
      authorization: `Bearer ${fuzzKey}`,
      maxBodyBytes: MAX_BODY_BYTES,
      accepts: (tool, args) => (lock.tools[tool] ? schemaAccepts(lock.tools[tool].inputSchema, args) : false),
    });

    // The canary: a correct call every 25 ms from another tenant, for the whole run.
    const canary = await correctCall(url, canaryKey);
    const canaryProblems: string[] = [];
    let canaryCalls = 0;
    let fuzzing = true;
    const canaryLoop = (async () => {
      while (fuzzing) {
        const problem = await canary();
        canaryCalls++;
        if (problem) canaryProblems.push(problem);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    const failures: string[] = [];
    let problems = 0;
    const byCategory = new Map<string, { cases: number; statuses: Map<string, number> }>();
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const fuzz = cases[index]!;
        const answer = await send(url, fuzz);
        const label = answer.status === undefined ? `none (${answer.noResponse})` : String(answer.status);
        const stats = byCategory.get(fuzz.category) ?? { cases: 0, statuses: new Map() };
        stats.cases++;
        stats.statuses.set(label.replace(/\(.*\)/, '').trim(), (stats.statuses.get(label.replace(/\(.*\)/, '').trim()) ?? 0) + 1);
        byCategory.set(fuzz.category, stats);
        const problem = judge(fuzz, answer);
        if (problem) problems++;
        if (problem && failures.length < 50) {
          const sent = fuzz.raw ? fuzz.raw.toString('latin1') : `${fuzz.method} ${fuzz.path} ${JSON.stringify(fuzz.headers)} ${fuzz.body?.toString('latin1') ?? ''}`;
          failures.push(`case ${index} (${fuzz.category}): ${problem}\n  sent: ${sent.slice(0, 300)}\n  got: ${label} ${answer.body.slice(0, 300)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    fuzzing = false;
    await canaryLoop;
    agent.destroy();

    const summary = [...byCategory].map(([category, s]) => `${category}: ${s.cases} (${[...s.statuses].map(([k, v]) => `${k}×${v}`).join(', ')})`).join('\n');
    console.log(`fuzz: ${CASES} cases in ${seconds.toFixed(1)} s, seed ${SEED}; canary: ${canaryCalls} correct calls\n${summary}`);

    expect(failures, `seed ${SEED}: ${problems} cases failed, the first ${failures.length} shown`).toEqual([]);
    expect(canaryProblems, 'correct calls during the fuzz').toEqual([]);
    expect(canaryCalls).toBeGreaterThan(10);
    // Still alive and healthy, and it never logged a crash.
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
    expect(server!.output()).not.toMatch(/uncaught|unhandled|FATAL|"level":60/i);
    // Every case that reached the pipeline was audited with a known outcome.
    const outcomes = new Set(
      readFileSync(auditFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { outcome: string }).outcome),
    );
    expect([...outcomes].every((outcome) => ['ok', 'invalid', 'error', 'denied', 'rate_limited'].includes(outcome)), [...outcomes].join()).toBe(true);
    expect(outcomes.has('invalid')).toBe(true);
  }, 600_000);
});

/** Undefined when the answer is acceptable for the case, else what is wrong with it. */
function judge(fuzz: FuzzCase, answer: Answer): string | undefined {
  const leaked = leaks(`${answer.body}\n${JSON.stringify(answer.headers)}`);
  if (leaked.length > 0) return `leaks ${leaked.join(', ')}`;
  if (answer.status === undefined) {
    // Raw bytes may be dropped without an answer; an oversized body may be cut off mid-upload.
    if (fuzz.category === 'raw' || fuzz.category === 'huge') return undefined;
    return `no response: ${answer.noResponse}`;
  }
  if (answer.status >= 500) return `status ${answer.status}`;
  if (fuzz.raw) return answer.status >= 400 || answer.status === 202 ? undefined : refusal(answer);
  if (answer.status >= 400) return undefined;
  if (answer.status === 202) return fuzz.mustFail ? 'accepted (202) a request it must refuse' : undefined;
  if (answer.body === '' && !fuzz.mustFail) return undefined; // e.g. HEAD, OPTIONS
  let parsed: Array<Record<string, unknown>>;
  try {
    parsed = messages(answer);
  } catch {
    return `a ${answer.status} whose body is not JSON-RPC`;
  }
  for (const message of parsed) {
    if (message.jsonrpc !== '2.0' || ('result' in message) === ('error' in message)) return `not a JSON-RPC response: ${JSON.stringify(message).slice(0, 200)}`;
  }
  return fuzz.mustFail ? refusal(answer, parsed) : undefined;
}

/** A 2xx for a request that must fail is fine only as a JSON-RPC error or an isError tool result. */
function refusal(answer: Answer, parsed?: Array<Record<string, unknown>>): string | undefined {
  let list = parsed;
  if (!list) {
    try {
      list = messages(answer);
    } catch {
      return `a ${answer.status} whose body is not JSON-RPC`;
    }
  }
  const refused = list.length > 0 && list.every((m) => 'error' in m || (m.result as { isError?: boolean } | undefined)?.isError === true);
  return refused ? undefined : 'a request that must fail succeeded';
}
