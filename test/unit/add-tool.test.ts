import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { readTree, tempDir } from '../support/temp-dir.js';

let root: { path: string; remove: () => Promise<void> };
let repo: string;
let n = 0;
beforeAll(async () => {
  root = await tempDir('cms-add-tool-');
});
afterAll(() => root.remove());
beforeEach(async () => {
  repo = join(root.path, `repo-${++n}`);
  const run = await createCli(repo, '--yes', '--no-install', '--no-git', '--transport', 'both', '--tool', 'search_orders', '--tool', 'create_order:write');
  expect(run.code).toBe(0);
});

const json = async (path: string) => JSON.parse(await readFile(join(repo, path), 'utf8'));

describe('mcp-gen add-tool', () => {
  it('adds the tool everywhere it belongs and keeps the user\'s edits', async () => {
    await appendFile(join(repo, 'README.md'), '\nNotes the team wrote.\n');
    const run = await mcpGenCli('add-tool', 'list_invoices', '-C', repo, '--access', 'read', '--param', 'customer:string=Customer id', '--param', 'limit:integer?', '--description', 'List invoices of a customer.');
    expect(run.code, run.stderr).toBe(0);
    const tree = await readTree(repo);
    expect(tree['src/tools/list_invoices.ts']).toContain('list_invoices');
    expect(tree['src/tools/list_invoices.ts']).toContain('customer: z.string().describe("Customer id")');
    expect(tree['test/tools/list_invoices.test.ts']).toBeDefined();
    expect(tree['src/tools/registry.ts']).toContain('list_invoices');
    expect(tree['README.md']).toContain('list_invoices');
    expect(tree['README.md']).toContain('Notes the team wrote.');
    expect(tree['RUNBOOK.md']).toContain('list_invoices');
    const spec = await json('mcp-gen.json');
    expect(spec.tools.map((t: { name: string }) => t.name)).toEqual(['search_orders', 'create_order', 'list_invoices']);
    const lock = await json('contracts/tools.lock.json');
    expect(Object.keys(lock.tools)).toEqual(['create_order', 'list_invoices', 'search_orders']);
    expect(lock.tools.list_invoices).toMatchObject({ version: '1.0.0', access: 'read', inputSchema: { required: ['customer'] } });
    const manifest = await json('.mcp-gen/manifest.json');
    expect(manifest.files['src/tools/list_invoices.ts'].class).toBe('scaffold');
    expect(run.stdout).toMatch(/create +src\/tools\/list_invoices\.ts/);
    expect(run.stdout).toMatch(/merge +README\.md/);
  });

  it('exits 2 when its merge leaves conflict markers, with the rest written', async () => {
    // The template's README row of create_order and the new tool's row touch the same lines.
    const readme = await readFile(join(repo, 'README.md'), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `create_order` |'))!;
    await writeFile(join(repo, 'README.md'), readme.replace(row, row.replace('Create order', 'Create an order (ours)')));
    const run = await mcpGenCli('add-tool', 'list_invoices', '-C', repo, '--yes');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('conflict: README.md has conflict markers to resolve');
    expect(run.stderr).toContain('Resolve the <<<<<<< / >>>>>>> blocks');
    const tree = await readTree(repo);
    expect(tree['README.md']).toContain('<<<<<<< yours (on disk)');
    expect(tree['README.md']).toContain('Create an order (ours)');
    expect(tree['src/tools/list_invoices.ts']).toContain('list_invoices');
    expect((await mcpGenCli('doctor', '-C', repo)).stdout).toContain('README.md');
  });

  it('never overwrites tool files, and keeps lock entries as they are on disk', async () => {
    await writeFile(join(repo, 'src/tools/search_orders.ts'), '// my implementation\n');
    const lock = await json('contracts/tools.lock.json');
    lock.tools.search_orders.version = '1.1.0';
    await writeFile(join(repo, 'contracts/tools.lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    expect((await mcpGenCli('add-tool', 'get_invoice', '-C', repo, '--yes')).code).toBe(0);
    expect(await readFile(join(repo, 'src/tools/search_orders.ts'), 'utf8')).toBe('// my implementation\n');
    expect((await json('contracts/tools.lock.json')).tools.search_orders.version).toBe('1.1.0');
  });

  it.each([
    [['search_orders'], 'error: <name>: "search_orders" already exists in this repo; choose another name'],
    [['bad name'], 'error: <name>: "bad name" must be 1-64 characters of A-Z a-z 0-9 _ . - (many clients refuse longer tool names)'],
    // 65 characters: the lint's name-length (and many clients) refuse it, so the generator does.
    [[`get_${'a'.repeat(61)}`], 'must be 1-64 characters of A-Z a-z 0-9 _ . - (many clients refuse longer tool names)'],
    [['get_x', '--backend', 'mysql'], 'error: --backend: "mysql" is not allowed; expected one of sample, postgres, http'],
    [['get_x', '--param', 'when:date'], 'error: --param: "when:date": type "date" is not allowed'],
    [['get_x', '--rate-limit', 'lots'], 'error: --rate-limit: "lots" is not allowed; expected a whole number of calls per minute'],
    [['get_x', '--cache-ttl', 'soon'], 'error: --cache-ttl: "soon" is not allowed; expected a whole number of seconds'],
    [['create_x', '--access', 'write', '--cache-ttl', '60'], 'error: --cache-ttl: is not allowed on a write tool; only read tools are cached'],
    [['get_x', '--max-response-tokens', '5'], 'error: --max-response-tokens: 5 Too small: expected number to be >=100'],
    [['get_x', '--access', 'delete'], "error: option '-a, --access <kind>' argument 'delete' is invalid"],
    [['get_x', '--access', 'read', '--approval', 'client'], 'error: --approval: "client" is not allowed on a read tool; approval applies to write tools only'],
    [['create_x', '--access', 'write', '--approval', 'maybe'], 'error: --approval: "maybe" is not allowed; expected one of none, client, human'],
  ])('refuses %j with exit 2 and writes nothing', async (args, message) => {
    const before = await readTree(repo);
    const run = await mcpGenCli('add-tool', ...args, '-C', repo, '--yes');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(await readTree(repo)).toEqual(before);
  });

  it('--approval puts a write tool behind approval, with approvalId in its contract for human', async () => {
    const run = await mcpGenCli('add-tool', 'refund_order', '-C', repo, '--access', 'write', '--approval', 'human', '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('approval human');
    const tree = await readTree(repo);
    expect(tree['src/tools/refund_order.ts']).toContain("approval: 'human',");
    expect(tree['src/tools/refund_order.ts']).toContain('approvalId: z.string().optional()');
    expect(tree['test/tools/refund_order.test.ts']).toContain('callWithApproval');
    expect((await json('mcp-gen.json')).tools.at(-1)).toMatchObject({ name: 'refund_order', approval: 'human' });
    expect((await json('contracts/tools.lock.json')).tools.refund_order.inputSchema.properties).toHaveProperty('approvalId');
  });

  it('--cache-ttl and --max-response-tokens go into the tool file and mcp-gen.json', async () => {
    const run = await mcpGenCli('add-tool', 'get_invoice', '-C', repo, '--access', 'read', '--cache-ttl', '120', '--max-response-tokens', '3000', '--yes');
    expect(run.code, run.stderr).toBe(0);
    const tree = await readTree(repo);
    expect(tree['src/tools/get_invoice.ts']).toContain('cache: { ttlSeconds: 120 },');
    expect(tree['src/tools/get_invoice.ts']).toContain('maxResponseTokens: 3000,');
    expect(tree['test/tools/get_invoice.test.ts']).toContain("answers a repeated call of the same tenant from its cache");
    expect((await json('mcp-gen.json')).tools.at(-1)).toMatchObject({ name: 'get_invoice', cache: { ttlSeconds: 120 }, maxResponseTokens: 3000 });
  });

  it('refuses outside a generated repo', async () => {
    const run = await mcpGenCli('add-tool', 'get_x', '-C', root.path, '--yes');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has no mcp-gen\.json: run mcp-gen inside a repository made by create-mcp-server/);
  });

  it('asks for an upgrade first in a repo another generator version wrote, and writes nothing', async () => {
    const spec = await json('mcp-gen.json');
    for (const [version, pattern] of [
      ['0.0.9', /made by create-mcp-server 0\.0\.9 and this mcp-gen is .*: run mcp-gen upgrade first/],
      ['99.0.0', /made by create-mcp-server 99\.0\.0, newer than this mcp-gen/],
    ] as const) {
      await writeFile(join(repo, 'mcp-gen.json'), JSON.stringify({ ...spec, generator: { ...spec.generator, version } }, null, 2));
      const before = await readTree(repo);
      for (const args of [['add-tool', 'get_invoice', '--yes'], ['add-backend', 'http']]) {
        const run = await mcpGenCli(...args, '-C', repo);
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toMatch(pattern);
        expect(await readTree(repo)).toEqual(before);
      }
    }
  });

  it('--dry-run predicts exactly what the real run changes, and writes nothing', async () => {
    const before = await readTree(repo);
    const dry = await mcpGenCli('add-tool', 'get_invoice', '-C', repo, '--yes', '--dry-run', '--diff');
    expect(dry.code).toBe(0);
    expect(await readTree(repo)).toEqual(before);
    expect(dry.stdout).toContain('+++ b/src/tools/get_invoice.ts');
    const predicted = [...dry.stdout.matchAll(/^ {2}(?:create|update|merge) +(\S+)/gm)].map((m) => m[1]).sort();
    expect((await mcpGenCli('add-tool', 'get_invoice', '-C', repo, '--yes')).code).toBe(0);
    const after = await readTree(repo);
    const changed = Object.keys(after)
      .filter((p) => after[p] !== before[p] && p !== 'mcp-gen.json' && !p.startsWith('.mcp-gen/'))
      .sort();
    expect(changed).toEqual(predicted);
  });
});

describe('mcp-gen add-backend', () => {
  it.each([
    [['sample'], 'error: <kind>: "sample" is already a backend of this repo'],
    [['mainframe'], 'error: <kind>: "mainframe" is not allowed; expected one of'],
  ])('refuses %j with exit 2 and writes nothing', async (args, message) => {
    const before = await readTree(repo);
    const run = await mcpGenCli('add-backend', ...args, '-C', repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(await readTree(repo)).toEqual(before);
  });
});
