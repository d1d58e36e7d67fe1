/**
 * http + api-key with tools from a --config spec: generated, installed, built, tested,
 * started with `npm start`, and called by real Clients of both protocol eras.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, createKey, generate, runCiCommands, SLOW, startHttp, structured, type RunningServer, SERVED } from './generated-repo.js';

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

  it('serves what npm start runs; refuses calls without a valid key', async () => {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
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
  }, SERVED);
});
