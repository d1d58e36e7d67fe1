/**
 * A repo grows with mcp-gen: tools and a backend added to a generated, installed repo still build, pass
 * their tests and serve; a breaking change without a major bump fails the repo's own npm test
 * (the check its CI runs), and passes once the version and the lock say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, createKey, generate, npmRun, SLOW, startHttp, structured, SERVED } from './generated-repo.js';

const mcpGen = fileURLToPath(new URL('../../bin/mcp-gen.js', import.meta.url));
let root: { path: string; remove: () => Promise<void> };
let dir: string;

beforeAll(async () => {
  root = await tempDir('cms-e2e-grow-');
  dir = join(root.path, 'orders-mcp');
  await generate(dir, '--transport', 'http', '--tool', 'search_orders:read');
}, SLOW);
afterAll(() => root.remove(), SLOW); // several installed repos: removing them is slow on a busy machine

const run = (...args: string[]) => execa('node', [mcpGen, ...args, '-C', dir], { reject: false, all: true });

describe('growing a repo with mcp-gen', () => {
  it('adds tools and a backend; the repo builds, passes its tests and serves them', async () => {
    const one = await run('add-tool', 'get_order', '--param', 'id:string=The order id', '--yes');
    expect(one.exitCode, one.all).toBe(0);
    const two = await run('add-tool', 'cancel_order', '--access', 'write', '--param', 'id:string', '--param', 'reason:string?', '--yes');
    expect(two.exitCode, two.all).toBe(0);
    // A second system: the HTTP API adapter, and a tool that reads through it.
    const backend = await run('add-backend', 'http');
    expect(backend.exitCode, backend.all).toBe(0);
    const three = await run('add-tool', 'get_invoice', '--backend', 'http', '--param', 'id:string', '--yes');
    expect(three.exitCode, three.all).toBe(0);
    await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir });
    await npmRun(dir, 'build');
    const out = await npmRun(dir, 'test');
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed/);

    const server = await startHttp(dir);
    try {
      const client = await connectHttp(server.url, await createKey(dir, 'acme', 'tools:read,tools:write'), 'auto');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['cancel_order', 'get_invoice', 'get_order', 'search_orders']);
      const cancelled = structured(await client.callTool({ name: 'cancel_order', arguments: { id: 'o-1', reason: 'duplicate' } }));
      expect(JSON.stringify(cancelled)).toContain('o-1');
      await client.close();
    } finally {
      await server.stop();
    }
  }, SLOW);

  it('mcp-gen contract and doctor agree the repo is healthy', async () => {
    const contract = await run('contract');
    expect(contract.exitCode, contract.all).toBe(0);
    const doctor = await run('doctor');
    expect(doctor.exitCode, doctor.all).toBe(0);
  }, SERVED);

  it('a breaking change without a major bump fails npm test; bumped and recorded, it passes', async () => {
    const file = join(dir, 'src/tools/get_order.ts');
    const source = await readFile(file, 'utf8');
    // A new required parameter: every call an agent makes today would now be refused.
    await writeFile(file, source.replace('z.strictObject({', 'z.strictObject({\n  region: z.string(),'));
    await expect(npmRun(dir, 'test')).rejects.toThrow(/need a major version bump/);
    const contract = await run('contract');
    expect(contract.exitCode).toBe(1);
    expect(contract.all).toContain('breaking  get_order: parameter "region" was added as a required parameter (breaking)');

    await writeFile(file, (await readFile(file, 'utf8')).replace("version: '1.0.0'", "version: '2.0.0'"));
    // The tool's own test (the user's file) sends the new parameter too.
    const test = join(dir, 'test/tools/get_order.test.ts');
    await writeFile(test, (await readFile(test, 'utf8')).replace('const validArguments: Record<string, unknown> = {', "const validArguments: Record<string, unknown> = {\n  region: 'eu',"));
    expect((await run('contract')).exitCode).toBe(1); // versions right, lock not yet recorded
    expect((await run('contract', '--update')).exitCode).toBe(0);
    expect(await npmRun(dir, 'test')).toMatch(/Tests\s+\d+ passed/);
  }, SLOW);

  it('a recorded consumer call that no longer validates fails the check, whatever the versions say', async () => {
    await mkdir(join(dir, 'contracts/consumers'), { recursive: true });
    await writeFile(
      join(dir, 'contracts/consumers/support-bot.json'),
      JSON.stringify({ consumer: 'support-bot', calls: [{ tool: 'get_order', arguments: { id: 'o-9' } }] }),
    );
    const contract = await run('contract');
    expect(contract.exitCode).toBe(1);
    expect(contract.all).toMatch(/CONSUMER {2}support-bot .*get_order: calls\[0\] is no longer accepted: region/);
  }, SERVED);
});
