/**
 * Hostile HTTP requests for a generated server's /mcp endpoint, generated from a seed (the same
 * seed gives the same cases). Each case says whether the server must refuse it (`mustFail`):
 * then the answer must be a 4xx, a JSON-RPC error, or a tool result with isError.
 */

export interface FuzzCase {
  category: string;
  /** Sent over a raw socket instead of an HTTP client (bytes an HTTP client refuses to send). */
  raw?: Buffer;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** No Host header at all. */
  omitHost?: boolean;
  body?: Buffer;
  /** Sent as chunked transfer encoding (no Content-Length). */
  chunked?: boolean;
  mustFail: boolean;
}

export interface FuzzTarget {
  host: string;
  /** Authorization header value of a valid key (of the fuzzing tenant). */
  authorization: string;
  maxBodyBytes: number;
  /** Whether the tool's input schema accepts these arguments (from the repo's contract lock). */
  accepts(tool: string, args: unknown): boolean;
}

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOOLS = ['search_customers', 'create_note'] as const;
const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';

export function generateCases(count: number, seed: number, target: FuzzTarget): FuzzCase[] {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => random() < p;

  const meta = () => ({
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  });
  /** A valid tools/call in one era: headers and body. */
  const validCall = (era: 'legacy' | 'modern', tool: string, args: unknown, id: unknown = int(1e6)) => {
    const headers: Record<string, string> = {
      host: target.host,
      authorization: target.authorization,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': era === 'modern' ? MODERN : LEGACY,
    };
    if (era === 'modern') {
      headers['mcp-method'] = 'tools/call';
      headers['mcp-name'] = tool;
    }
    const params: Record<string, unknown> = { name: tool, arguments: args };
    if (era === 'modern') params._meta = meta();
    return { headers, message: { jsonrpc: '2.0', id, method: 'tools/call', params } as Record<string, unknown> };
  };
  const era = () => pick(['legacy', 'modern'] as const);
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const post = (category: string, headers: Record<string, string>, body: Buffer, mustFail: boolean, extra: Partial<FuzzCase> = {}): FuzzCase => ({
    category,
    method: 'POST',
    path: '/mcp',
    headers,
    body,
    mustFail,
    ...extra,
  });

  const randomString = (max: number) => {
    const alphabet = 'abc XYZ 019 {}[]":,\\\n\t\u0000\u00e9\u4e2d\ud83d\ude00<>\'`$%&;';
    return Array.from({ length: int(max) }, () => alphabet[int(alphabet.length)]).join('');
  };
  const junkValue = (depth = 0): unknown => {
    switch (int(depth > 2 ? 6 : 9)) {
      case 0:
        return null;
      case 1:
        return int(2) === 0;
      case 2:
        return pick([0, -1, 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER + 2, 2 ** 53]);
      case 3:
        return randomString(40);
      case 4:
        return 'x'.repeat(int(5000));
      case 5:
        return pick(['', ' ', '__proto__', 'constructor', 'toString', '../../etc/passwd', "' OR 1=1 --", '${process.env}', '{{7*7}}']);
      case 6:
        return Array.from({ length: int(5) }, () => junkValue(depth + 1));
      case 7:
        return Object.fromEntries(Array.from({ length: int(5) }, () => [randomString(8), junkValue(depth + 1)]));
      default:
        return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
    }
  };
  const deep = (depth: number, kind: 'array' | 'object') => (kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

  const generators: Array<[weight: number, make: () => FuzzCase]> = [
    // Not JSON, or broken JSON.
    [
      15,
      () => {
        const { headers, message } = validCall(era(), pick(TOOLS), { query: 'x' });
        const text = JSON.stringify(message);
        const body = pick([
          () => text.slice(0, int(text.length)),
          () => text.replace(/"/g, "'"),
          () => text + pick(['}', ']', ',', 'garbage', '\u0000']),
          () => randomString(200),
          () => pick(['', ' ', 'null', 'true', '0', '"string"', '[', '{', '}{', '[]', '{"jsonrpc":"2.0"', 'NaN', 'Infinity', '{"a":1,}']),
          () => Buffer.from(Array.from({ length: int(300) }, () => int(256))).toString('latin1'),
        ])();
        return post('malformed-json', headers, Buffer.from(body, body.startsWith('{') ? 'utf8' : 'latin1'), true);
      },
    ],
    // JSON, but not a JSON-RPC request this endpoint serves.
    [
      15,
      () => {
        const { headers, message } = validCall(era(), pick(TOOLS), { query: 'x' });
        const mutations: Array<() => unknown> = [
          () => ({ ...message, jsonrpc: pick(['1.0', '2', 2, null, undefined]) }),
          () => ({ ...message, id: pick([{}, [], true, null]) }),
          // Odd but valid ids: a long string, a fraction (a SHOULD NOT, not a MUST NOT).
          () => ({ ...message, id: pick([1.5, 'x'.repeat(10_000), -0]) }),
          () => ({ ...message, method: pick([1, null, {}, '', 'tools/call ', 'TOOLS/CALL', 'rpc.discover', 'tools/../call']) }),
          () => ({ ...message, params: pick([[], 'params', 1, null, true]) }),
          // A response is a message a client may post (202 Accepted): refused or accepted, never a crash.
          () => ({ jsonrpc: '2.0', id: 1, result: { content: [] } }),
          () => ({ jsonrpc: '2.0', id: 1, error: { code: -1, message: 'client error' } }),
          () => [],
          // A batch of valid requests: the 2025-03-26 revision allows batches.
          () => [message, message],
          () => [1, 'two', null],
          () => pick([1, 'x', null, true]),
          () => ({ ...message, params: { ...(message.params as object), name: undefined } }),
          () => ({ ...message, params: { ...(message.params as object), arguments: pick(['x', 1, [], null, true]) } }),
        ];
        const index = int(mutations.length);
        return post('jsonrpc-shape', headers, json(mutations[index]!()), ![2, 5, 6, 8].includes(index));
      },
    ],
    // Valid JSON-RPC, arguments the tool's schema refuses.
    [
      20,
      () => {
        const tool = pick(TOOLS);
        const bad = pick<() => unknown>([
          () => ({ query: junkValue() }),
          () => ({ limit: pick(['10', -1, 0.5, 1e308, null, [], {}, true, 'NaN']) }),
          () => ({ query: 'x', [randomString(10) || 'extra']: junkValue() }),
          () => ({ unknownField: junkValue() }),
          () => Object.fromEntries(Array.from({ length: 1 + int(50) }, (_, i) => [`k${i}`, junkValue()])),
          () => ({ query: ['a', 'b'], limit: '5' }),
        ])();
        // A junk value can land on an accepted type: only a call that breaks the schema must fail.
        const { headers, message } = validCall(era(), tool, bad);
        return post('schema-violation', headers, json(message), !target.accepts(tool, JSON.parse(JSON.stringify(bad))));
      },
    ],
    // Unknown tools and methods.
    [
      7,
      () => {
        const e = era();
        const name = pick(['no_such_tool', '', 'x'.repeat(300), '../search_customers', 'search_customers\u0000', 'SEARCH_CUSTOMERS', '\u202esearch', '__proto__']);
        const { headers, message } = validCall(e, name, {});
        if (e === 'modern') headers['mcp-name'] = /^[\x21-\x7e]*$/.test(name) && name.length > 0 ? name : 'x';
        const method = pick(['tools/call', 'resources/read', 'prompts/get', 'sampling/createMessage', 'completion/complete', 'logging/setLevel', 'tasks/get', 'nonexistent/method']);
        const body = method === 'tools/call' ? message : { ...message, method, params: { name, uri: 'file:///etc/passwd' } };
        if (e === 'modern') headers['mcp-method'] = method;
        return post('unknown-tool-or-method', headers, json(body), true);
      },
    ],
    // Headers that are missing, wrong or hostile.
    [
      15,
      () => {
        const callEra = era();
        const { headers, message } = validCall(callEra, 'search_customers', { query: 'coyote' });
        const body = json(message);
        const variant = int(13);
        const h = { ...headers };
        switch (variant) {
          case 0:
            delete h.authorization;
            break;
          case 1:
            h.authorization = pick(['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer mcp_x', `Bearer ${'A'.repeat(8000)}`, 'Bearer mcp_00000000_' + 'x'.repeat(43), 'Token abc', `Bearer ${target.authorization.slice(7, -1)}`]);
            break;
          case 2:
            h['content-type'] = pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16', '']);
            if (h['content-type'] === '') delete h['content-type'];
            // Still JSON: a server may read it as the UTF-8 it is.
            return post('bad-headers', h, body, !h['content-type']?.startsWith('application/json'));
          case 3:
            h.accept = pick(['text/html', 'application/xml', '', 'text/event-stream', 'application/json']);
            if (h.accept === '') delete h.accept;
            // A narrower Accept may still be served, and the 2026-07-28 leg of the SDK does not
            // inspect Accept at all (it answers JSON): only a 2025-era request with a missing or
            // foreign Accept must be refused (406).
            return post('bad-headers', h, body, callEra === 'legacy' && !['text/event-stream', 'application/json'].includes(h.accept ?? ''));
          case 4:
            h['mcp-protocol-version'] = pick(['1999-01-01', 'latest', '2026-13-45', '', 'x'.repeat(200)]);
            break;
          case 5:
            h['mcp-session-id'] = pick(['nonexistent', '', '../../x', 'x'.repeat(1000)]);
            return post('bad-headers', h, body, false);
          case 6:
            h['mcp-method'] = pick(['tools/list', 'initialize', 'x']);
            h['mcp-protocol-version'] = MODERN;
            return post('bad-headers', h, json({ ...message, params: { ...(message.params as object), _meta: meta() } }), true);
          case 7:
            h['mcp-protocol-version'] = MODERN;
            h['mcp-method'] = 'tools/call';
            h['mcp-name'] = pick(['create_note', 'other', '']);
            return post('bad-headers', h, json({ ...message, params: { ...(message.params as object), _meta: meta() } }), true);
          case 8:
            h.origin = pick(['https://evil.example', 'null', 'file://', 'http://localhost.evil.example']);
            break;
          case 9:
            h.host = pick(['evil.example', 'localhost.evil.example:80', '127.0.0.1.nip.io', '[::ffff:7f00:1]:1']);
            break;
          case 10:
            delete h.host;
            return post('bad-headers', h, body, true, { omitHost: true });
          case 11:
            for (let i = 0; i < 50 + int(100); i++) h[`x-fuzz-${i}`] = randomString(20).replace(/[^\x20-\x7e]/g, 'x');
            return post('bad-headers', h, body, false);
          default:
            h['content-length'] = pick(['-1', 'abc', '1e3', '99999999999999999999']);
            break;
        }
        return post('bad-headers', h, body, true);
      },
    ],
    // Bytes that are not valid UTF-8, and strings that are not valid Unicode.
    [
      8,
      () => {
        const { headers, message } = validCall(era(), pick(TOOLS), { query: 'QQQ' });
        const text = JSON.stringify(message);
        const [before, after] = text.split('QQQ') as [string, string];
        const bad = pick([
          Buffer.from([0xff, 0xfe, 0xfd]),
          Buffer.from([0xc0, 0xaf]), // overlong '/'
          Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
          Buffer.from([0xe2, 0x82]), // truncated
          Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
          Buffer.from('\\ud800\\udc00\\ud800'), // JSON escapes of a lone surrogate
          Buffer.from('\\u0000'),
        ]);
        const body = Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]);
        // A lone surrogate or NUL inside a string is valid JSON and a valid string argument.
        const stillValid = bad.toString().startsWith('\\u');
        return post('invalid-utf8', headers, body, !stillValid);
      },
    ],
    // Deep nesting, within the size limit.
    [
      5,
      () => {
        const { headers, message } = validCall(era(), pick(TOOLS), { query: 'x' });
        const depth = pick([100, 1000, 5000, Math.floor(target.maxBodyBytes / 12)]);
        const nested = deep(depth, pick(['array', 'object'] as const));
        const text = JSON.stringify(message);
        const where = pick(['arguments', 'id', 'params', 'meta'] as const);
        const body =
          where === 'arguments'
            ? text.replace('{"query":"x"}', `{"query":${nested}}`)
            : where === 'id'
              ? text.replace(/"id":\d+/, `"id":${nested}`)
              : where === 'params'
                ? text.replace('"arguments"', `"deep":${nested},"arguments"`)
                : text.replace('"params":{', `"params":{"_meta":{"deep":${nested}},`);
        // Deep arguments break the schema and a deep id breaks JSON-RPC; deep unknown params and
        // _meta entries are ignored by design, so those need only be answered.
        return post('deep', headers, Buffer.from(body), where === 'arguments' || where === 'id');
      },
    ],
    // Bodies over the limit, declared or streamed.
    [
      2,
      () => {
        const { headers, message } = validCall(era(), 'search_customers', { query: 'x' });
        const size = target.maxBodyBytes + 1 + int(target.maxBodyBytes * 2);
        const text = JSON.stringify({ ...message, params: { ...(message.params as object), pad: 'x'.repeat(size) } });
        return post('huge', headers, Buffer.from(text), true, { chunked: chance(0.5) });
      },
    ],
    // Other methods and paths.
    [
      8,
      () => {
        const { headers, message } = validCall(era(), 'search_customers', { query: 'x' });
        if (chance(0.5)) {
          const method = pick(['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE']);
          // HEAD and OPTIONS carry no call: whatever the answer, nothing may run.
          return { category: 'method-or-path', method, path: '/mcp', headers, body: chance(0.5) ? json(message) : undefined, mustFail: method !== 'HEAD' && method !== 'OPTIONS' };
        }
        const path = pick(['/mcp/', '/MCP', '//mcp', '/mcp/../mcp/x', '/%2e%2e/mcp', '/mcp%00', '/admin', '/.env', '/../../etc/passwd', `/${'a'.repeat(5000)}`, '/healthz/../mcp/x', '/metrics?x=1']);
        // URL rules resolve dot segments: /%2e%2e/mcp is /mcp itself, and may be served as such.
        return { category: 'method-or-path', method: 'POST', path, headers, body: json(message), mustFail: new URL(path, 'http://x').pathname !== '/mcp' };
      },
    ],
    // Bytes an HTTP client will not send: broken request lines, header injection, huge headers.
    [
      5,
      () => {
        const { message } = validCall('legacy', 'search_customers', { query: 'x' });
        const body = JSON.stringify(message);
        const raw = pick([
          () => `${randomString(100)}\r\n\r\n`,
          () => `POST /mcp HTTP/1.1\r\nHost: ${target.host}\r\nAuthorization: ${target.authorization}\r\nX-Injected: a\rb\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
          () => `POST /mcp HTTP/1.1\r\nHost: ${target.host}\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`,
          () => `POST /mcp HTTP/1.1\r\nHost: ${target.host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
          () => `POST /mcp HTTP/9.9\r\nHost: ${target.host}\r\n\r\n`,
          () => `POST /mcp HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nAuthorization: ${target.authorization}\r\nContent-Length: ${body.length + 50}\r\n\r\n${body}`,
          () => `GET /mcp HTTP/1.1\r\nHost: ${target.host}\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: y`).join('\r\n')}\r\n\r\n`,
          () => `POST /mcp HTTP/1.1\r\nHost: ${target.host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`,
          () => `POST /mcp HTTP/1.1\r\nHost: ${target.host}\r\nAuthorization: ${target.authorization}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMcp-Protocol-Version: ${LEGACY}\r\nContent-Length: ${Buffer.byteLength(body) + 3}\r\n\r\n${body.slice(0, -1)}\u00ff\u00fe\u00fd}`,
        ])();
        return { category: 'raw', raw: Buffer.from(raw, 'latin1'), method: 'POST', path: '/mcp', headers: {}, mustFail: true };
      },
    ],
  ];

  const totalWeight = generators.reduce((sum, [weight]) => sum + weight, 0);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    let roll = random() * totalWeight;
    const [, make] = generators.find(([weight]) => (roll -= weight) < 0) ?? generators[0]!;
    cases.push(make());
  }
  return cases;
}
