/**
 * http + api-key with tools, resources and prompts from a --config spec: generated, installed,
 * built, tested, started with `npm start`, and called, read and got by real Clients of both
 * protocol eras; its `npm run bench` servers written as JavaScript and started by plain `node`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, createKey, generate, npmStartArgs, runCiCommands, SLOW, startHttp, structured, type RunningServer, SERVED } from './generated-repo.js';

/** The generated repo's scripts/bench/bench-js.ts. */
type BenchJs = typeof import('../../templates/transport/http/scripts/bench/bench-js.js');

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let server: RunningServer | undefined;

const spec = {
  name: 'crm-mcp',
  description: 'Customer records for Claude.',
  transport: 'http',
  auth: 'api-key',
  tools: [
    {
      name: 'search_customers',
      access: 'read',
      description: 'Search customers by text.',
      params: [
        { name: 'query', type: 'string', required: false },
        { name: 'limit', type: 'integer', required: false },
      ],
    },
    { name: 'crm.get_customer', access: 'read', params: [{ name: 'id', type: 'string' }] },
    {
      name: 'create_customer',
      access: 'write',
      params: [
        { name: 'name', type: 'string' },
        { name: 'tags', type: 'string[]', required: false },
        { name: 'vip', type: 'boolean', required: false },
      ],
    },
  ],
  resources: [
    { name: 'customers', uri: 'crm://customers', description: "Every customer of the caller's tenant." },
    { name: 'crm.customer', uriTemplate: 'crm://customers/{id}', description: 'One customer, by id.', scopes: ['customers:read'] },
  ],
  prompts: [
    {
      name: 'customer_brief',
      arguments: [{ name: 'customer', description: 'The customer id' }, { name: 'focus', required: false }],
      message: 'Brief me on customer {customer}. Focus: {focus}',
    },
  ],
};

beforeAll(async () => {
  root = await tempDir('cms-e2e-http-');
  dir = join(root.path, 'crm-mcp');
  const config = join(root.path, 'spec.json');
  await writeFile(config, JSON.stringify(spec));
  await generate(dir, '--config', config);
}, SLOW);
afterAll(async () => {
  await server?.stop();
  await root.remove();
}, SERVED);

describe('http + api-key', () => {
  it('builds and passes its own tests', async () => {
    // What the generated CI workflow runs: npm ci, typecheck, build, test.
    const out = (await runCiCommands(dir))['npm test'];
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed|skipped/);
  }, SLOW);

  it("npm run bench's servers are written as JavaScript, git-ignored, and served by plain node from the build", async () => {
    // The generated module bench.ts uses (this project's bench/server-js.ts loads it the same way).
    const { startNodeFlags, writeBenchServers } = (await import(pathToFileURL(join(dir, 'scripts', 'bench', 'bench-js.ts')).href)) as BenchJs;
    const serverJs = writeBenchServers(dir);
    expect(serverJs).toBe(join(dir, '.bench-js', 'bench', 'bench-server.js'));
    expect((await execa('git', ['check-ignore', '-q', serverJs], { cwd: dir, reject: false })).exitCode).toBe(0);
    const key = await createKey(dir, 'bench', 'bench:read');
    // No loader: the `node` command npm start runs, with its flags, on the JavaScript written above.
    expect(startNodeFlags(dir)).toEqual((await npmStartArgs(dir)).slice(0, -1));
    const bench = execa('node', [...startNodeFlags(dir), serverJs, 'full'], {
      cwd: dir,
      env: { MCP_API_KEYS_FILE: join(dir, 'keys.json'), LOG_LEVEL: 'warn' },
      all: true,
      reject: false,
    });
    let output = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        bench.all!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const line = output.split('\n').find((candidate) => candidate.startsWith('{"url"'));
          if (line) resolve((JSON.parse(line) as { url: string }).url);
        });
        void bench.then(() => reject(new Error(`the bench server exited:\n${output}`)));
      });
      const client = await connectHttp(url, key, 'auto');
      try {
        expect(structured(await client.callTool({ name: 'bench.get_record', arguments: { id: 'rec_1' } }))).toMatchObject({ id: 'rec_1', status: 'active' });
      } finally {
        await client.close();
      }
    } finally {
      bench.kill('SIGTERM');
    }
    expect((await bench).exitCode).toBe(0);
  }, SERVED);

  it('serves what npm start runs; refuses calls without a valid key', async () => {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    // startHttp runs this command's node arguments; the image runs the same (ops-files.test.ts).
    expect(pkg.scripts.start).toBe('node dist/main.js');
    server = await startHttp(dir);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const anonymous = await fetch(server.url, { method: 'POST', headers, body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(server.url, { method: 'POST', headers: { ...headers, authorization: 'Bearer mcp_not_a_key' }, body });
    expect(wrong.status).toBe(401);
    expect((await fetch(server.url.replace('/mcp', '/readyz'))).status).toBe(200);
  }, SERVED);

  it('lists and calls tools with an API key, for both protocol eras, keeping tenants apart', async () => {
    const acmeKey = await createKey(dir, 'acme', 'tools:read,tools:write');
    const globexKey = await createKey(dir, 'globex', 'tools:read,tools:write');
    // Keys are picked up by the running server without a restart.
    for (const era of ['legacy', 'auto'] as const) {
      const acme = await connectHttp(server!.url, acmeKey, era);
      const globex = await connectHttp(server!.url, globexKey, era);
      try {
        const { tools } = await acme.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(['create_customer', 'crm.get_customer', 'search_customers']);
        const name = `Acme only ${era}`;
        const created = structured(await acme.callTool({ name: 'create_customer', arguments: { name, tags: ['e2e'], vip: true } }));
        expect(JSON.stringify(created)).toContain(name);
        expect(JSON.stringify(structured(await acme.callTool({ name: 'search_customers', arguments: { query: name } })))).toContain(name);
        const other = structured(await globex.callTool({ name: 'search_customers', arguments: { query: name } }));
        expect(JSON.stringify(other)).not.toContain(name);
        // A tool argument cannot name another tenant.
        const sneaky = await globex.callTool({ name: 'search_customers', arguments: { query: name, tenantId: 'acme' } });
        expect(JSON.stringify(sneaky)).not.toContain(name);
      } finally {
        await acme.close();
        await globex.close();
      }
    }
  }, SERVED);

  it('reads resources and gets prompts for both eras: the tenant from the key, never from the URI, scopes enforced', async () => {
    const acmeKey = await createKey(dir, 'acme', 'tools:read,resources:read,customers:read,prompts:read');
    const globexKey = await createKey(dir, 'globex', 'tools:read,resources:read,customers:read,prompts:read');
    const noCustomerScope = await createKey(dir, 'acme', 'resources:read,prompts:read');
    for (const era of ['legacy', 'auto'] as const) {
      const acme = await connectHttp(server!.url, acmeKey, era);
      const globex = await connectHttp(server!.url, globexKey, era);
      const narrow = await connectHttp(server!.url, noCustomerScope, era);
      try {
        expect((await acme.listResources()).resources.map((r) => [r.name, r.uri])).toEqual([['customers', 'crm://customers']]);
        expect((await acme.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toEqual(['crm://customers/{id}']);
        const all = await acme.readResource({ uri: 'crm://customers' });
        expect(all.contents[0]).toMatchObject({ uri: 'crm://customers', mimeType: 'application/json' });
        expect((all.contents[0] as { text: string }).text).toContain('cus_acme_001');
        expect((all.contents[0] as { text: string }).text).not.toContain('globex');
        const one = await acme.readResource({ uri: 'crm://customers/cus_acme_001' });
        expect(JSON.parse((one.contents[0] as { text: string }).text)).toMatchObject({ record: { id: 'cus_acme_001' } });
        // Another tenant's id, through the same URI: not found, as if it did not exist.
        await expect(globex.readResource({ uri: 'crm://customers/cus_acme_001' })).rejects.toThrow(/\[not_found\]/);
        await expect(narrow.readResource({ uri: 'crm://customers/cus_acme_001' })).rejects.toThrow(/\[forbidden\].*customers:read/);
        const { messages } = await acme.getPrompt({ name: 'customer_brief', arguments: { customer: 'cus_acme_001', focus: 'renewals' } });
        expect(messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Brief me on customer cus_acme_001. Focus: renewals' } }]);
        await expect(acme.getPrompt({ name: 'customer_brief', arguments: {} })).rejects.toThrow(/\[invalid_arguments\]/);
      } finally {
        await acme.close();
        await globex.close();
        await narrow.close();
      }
    }
  }, SERVED);

  it('a read-only key cannot call the write tool: 403 insufficient_scope naming tools:write', async () => {
    const readKey = await createKey(dir, 'acme', 'tools:read');
    const client = await connectHttp(server!.url, readKey, 'legacy');
    try {
      // Over HTTP the call gets 403 insufficient_scope naming what it needs (the step-up challenge).
      await expect(client.callTool({ name: 'create_customer', arguments: { name: 'nope' } })).rejects.toThrow(/insufficient scope.*tools:write/i);
    } finally {
      await client.close();
    }
  }, SERVED);

  it('writes an audit record per call and stops cleanly on SIGTERM', async () => {
    const exitCode = await server!.stop();
    const audit = server!
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{') && l.includes('"tool"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    server = undefined;
    expect(exitCode).toBe(0);
    expect(audit.some((r) => r.tool === 'create_customer' && r.outcome === 'ok')).toBe(true);
    expect(audit.some((r) => r.tool === 'create_customer' && r.outcome === 'denied')).toBe(true);
    // Every read and get is audited too, with its kind, as the tenant of its key.
    expect(audit.filter((r) => r.kind === 'resource' && r.tool === 'crm.customer').map((r) => [r.tenant, r.outcome, r.errorCode])).toEqual([
      ['acme', 'ok', null],
      ['globex', 'error', 'not_found'],
      ['acme', 'denied', 'forbidden'],
      ['acme', 'ok', null],
      ['globex', 'error', 'not_found'],
      ['acme', 'denied', 'forbidden'],
    ]);
    expect(audit.filter((r) => r.kind === 'prompt').map((r) => r.outcome)).toEqual(['ok', 'invalid', 'ok', 'invalid']);
  }, SERVED);
});
