/** both transports + api-key, three tools (two read, one write) from flags: one repo, HTTP and stdio. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, connectStdio, createKey, generateFromSpec, runCiCommands, SLOW, startHttp, structured, type RunningServer, SERVED } from './generated-repo.js';

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let server: RunningServer | undefined;
let key: string;

beforeAll(async () => {
  root = await tempDir('cms-e2e-both-');
  dir = join(root.path, 'warehouse-mcp');
  await generateFromSpec(dir, {
    name: 'warehouse-mcp',
    transport: 'both',
    auth: 'api-key',
    tools: [
      { name: 'search_stock', access: 'read', params: [{ name: 'query', type: 'string', required: false }] },
      { name: 'get_item', access: 'read', params: [{ name: 'id', type: 'string', required: true }] },
      { name: 'reserve_item', access: 'write', params: [{ name: 'name', type: 'string', required: true }] },
    ],
  });
}, SLOW);
afterAll(async () => {
  await server?.stop();
  await root.remove();
}, SERVED);

describe('both + api-key', () => {
  it('builds and passes its own tests', async () => {
    // What the generated CI workflow runs: npm ci, typecheck, build, test.
    const out = (await runCiCommands(dir))['npm test'];
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed|skipped/);
    key = await createKey(dir, 'acme', 'tools:read,tools:write');
  }, SLOW);

  it('serves over HTTP with an API key', async () => {
    server = await startHttp(dir);
    const client = await connectHttp(server.url, key, 'auto');
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['get_item', 'reserve_item', 'search_stock']);
      const reserved = structured(await client.callTool({ name: 'reserve_item', arguments: { name: 'Pallet 7' } }));
      expect(JSON.stringify(reserved)).toContain('Pallet 7');
    } finally {
      await client.close();
    }
  }, SERVED);

  it('serves over stdio with the key from the environment', async () => {
    const client = await connectStdio(dir, { MCP_API_KEY: key });
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(3);
      const found = structured(await client.callTool({ name: 'search_stock', arguments: {} }));
      expect(Object.keys(found).length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  }, SERVED);

  it('over stdio, refuses to start with a key that is not valid', async () => {
    await expect(connectStdio(dir, { MCP_API_KEY: 'mcp_wrong_key' })).rejects.toThrow();
  }, SERVED);
});
