/** stdio + auth none, default tools: generated, installed, built, tested and called over stdio. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { tempDir } from '../support/temp-dir.js';
import { connectStdio, generate, runCiCommands, SLOW, structured, SERVED } from './generated-repo.js';

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let generatorOutput: string;

beforeAll(async () => {
  root = await tempDir('cms-e2e-stdio-');
  dir = join(root.path, 'local-mcp');
  generatorOutput = await generate(dir, '--transport', 'stdio', '--auth', 'none');
}, SLOW);
afterAll(() => root.remove(), SLOW); // several installed repos: removing them is slow on a busy machine

describe('stdio + none', () => {
  it('is generated with its first commit and dependencies installed', async () => {
    expect(generatorOutput).toContain('Installing dependencies (npm install): done');
    const log = await execa('git', ['log', '--oneline'], { cwd: dir });
    expect(log.stdout.split('\n')).toHaveLength(1);
    // The lockfile is part of the first commit: the generated CI and Dockerfile run `npm ci`.
    const tracked = await execa('git', ['ls-files', 'package-lock.json', 'node_modules'], { cwd: dir });
    expect(tracked.stdout).toBe('package-lock.json');
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@modelcontextprotocol/server']).toBeDefined();
    expect(pkg.dependencies['@modelcontextprotocol/node']).toBeUndefined();
  });

  it('builds and passes its own tests', async () => {
    // What the generated CI workflow runs: npm ci, typecheck, build, test.
    const out = (await runCiCommands(dir))['npm test'];
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed|skipped/);
  }, SLOW);

  it('serves over stdio: a real Client lists and calls its tools for the tenant from the environment', async () => {
    const client = await connectStdio(dir, { MCP_TENANT_ID: 'acme', MCP_SUBJECT: 'e2e' });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['create_record', 'get_record', 'search_records']);
      const create = tools.find((t) => t.name === 'create_record')!;
      expect(create.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      expect(tools.find((t) => t.name === 'search_records')!.annotations).toMatchObject({ readOnlyHint: true });

      const created = structured(await client.callTool({ name: 'create_record', arguments: { name: 'Stdio e2e record' } }));
      expect(JSON.stringify(created)).toContain('Stdio e2e record');
      const found = await client.callTool({ name: 'search_records', arguments: { query: 'Stdio e2e' } });
      expect(JSON.stringify(structured(found))).toContain('Stdio e2e record');

      const invalid = await client.callTool({ name: 'get_record', arguments: { id: 42 } });
      expect(invalid.isError).toBe(true);
    } finally {
      await client.close();
    }
  }, SERVED);
});
