/** mcp-gen add-resource and add-prompt: the same guarantees as add-tool, through the real CLI. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { readTree, tempDir } from '../support/temp-dir.js';

let root: { path: string; remove: () => Promise<void> };
let repo: string;
let n = 0;
beforeAll(async () => {
  root = await tempDir('cms-add-item-');
});
afterAll(() => root.remove());
beforeEach(async () => {
  repo = join(root.path, `repo-${++n}`);
  const run = await createCli(repo, '--yes', '--no-install', '--no-git', '--transport', 'both', '--backend', 'sample', '--backend', 'postgres', '--tool', 'search_orders');
  expect(run.code).toBe(0);
});

const json = async (path: string) => JSON.parse(await readFile(join(repo, path), 'utf8'));

describe('mcp-gen add-resource', () => {
  it('adds a resource template everywhere it belongs and keeps the user\'s edits', async () => {
    await appendFile(join(repo, 'README.md'), '\nNotes the team wrote.\n');
    const run = await mcpGenCli('add-resource', 'crm.customer', '-C', repo, '--uri-template', 'crm://customers/{id}', '--backend', 'postgres', '--description', 'One customer, by id.');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Added the resource crm.customer (crm://customers/{id}, application/json, scopes resources:read).');
    const tree = await readTree(repo);
    expect(tree['src/resources/crm/customer.ts']).toContain("uriTemplate: \"crm://customers/{id}\"");
    expect(tree['src/resources/crm/customer.ts']).toContain('ctx.backends.postgres.read');
    expect(tree['test/resources/crm/customer.test.ts']).toBeDefined();
    expect(tree['src/resources/registry.ts']).toContain("import crmCustomer from './crm/customer.js';");
    expect(tree['README.md']).toContain('| `crm.customer` | `crm://customers/{id}` |');
    expect(tree['README.md']).toContain('Notes the team wrote.');
    expect(tree['RUNBOOK.md']).toContain('### Resource reads or prompt gets fail');
    expect((await json('mcp-gen.json')).resources).toEqual([
      {
        name: 'crm.customer',
        title: 'Crm customer',
        description: 'One customer, by id.',
        uriTemplate: 'crm://customers/{id}',
        mimeType: 'application/json',
        version: '1.0.0',
        scopes: ['resources:read'],
        backend: 'postgres',
      },
    ]);
    expect((await json('.mcp-gen/manifest.json')).files['src/resources/crm/customer.ts']).toMatchObject({ class: 'scaffold' });
    // The lock gains the resource's entry; every tool entry stays as it was.
    const lock = await json('contracts/tools.lock.json');
    expect(Object.keys(lock.tools)).toEqual(['search_orders']);
    expect(lock.resources).toEqual({
      'crm.customer': { version: '1.0.0', title: 'Crm customer', description: 'One customer, by id.', uriTemplate: 'crm://customers/{id}', mimeType: 'application/json' },
    });
    expect((await mcpGenCli('doctor', '-C', repo, '--no-contract')).stdout).toBe('No problems found.');
  });

  it('--dry-run lists the changes and writes nothing', async () => {
    const before = await readTree(repo);
    const run = await mcpGenCli('add-resource', 'catalog', '-C', repo, '--uri', 'crm://catalog', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/create +src\/resources\/catalog\.ts/);
    expect(run.stdout).toContain('Dry run: nothing was written.');
    expect(await readTree(repo)).toEqual(before);
  });

  it.each([
    [['--uri', 'crm://a', '--uri-template', 'crm://a/{id}'], 'error: --uri or --uri-template: needs exactly one of uri (one resource) or uriTemplate (a family of resources)'],
    [['--uri-template', 'crm://all'], 'error: --uri-template: has no {variable}; use uri for a single resource'],
    [['--uri', 'not a uri'], 'error: --uri: "not a uri" must be an absolute URI with a scheme'],
    [['--uri', 'crm://a', '--backend', 'http'], 'error: --backend: "http" is not one of this spec\'s backends (sample, postgres)'],
    [['--uri', 'crm://a', '--rate-limit', 'lots'], 'error: --rate-limit: "lots" is not allowed; expected a whole number of reads per minute'],
  ])('refuses %j with exit 2, naming the flag, and writes nothing', async (flags, message) => {
    const before = await readTree(repo);
    const run = await mcpGenCli('add-resource', 'catalog', '-C', repo, ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Nothing was written.');
    expect(await readTree(repo)).toEqual(before);
  });

  it('reports an unclosed URI template once, by its pattern', async () => {
    const run = await mcpGenCli('add-resource', 'catalog', '-C', repo, '--uri-template', 'crm://b/{id');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: --uri-template: "crm://b/{id" must be a URI template with a scheme and {variable} parts');
    expect(run.stderr).not.toContain('has no {variable}');
  });

  it('refuses a name already taken, by a resource or by a tool, and writes nothing', async () => {
    expect((await mcpGenCli('add-resource', 'catalog', '-C', repo, '--uri', 'crm://catalog')).code).toBe(0);
    const before = await readTree(repo);
    const again = await mcpGenCli('add-resource', 'catalog', '-C', repo, '--uri', 'crm://other');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('error: <name>: "catalog" already exists in this repo; choose another name');
    const tool = await mcpGenCli('add-resource', 'search_orders', '-C', repo, '--uri', 'crm://orders');
    expect(tool.code).toBe(2);
    expect(tool.stderr).toContain('"search_orders" is already a tool\'s name; tools, resources and prompts share one namespace');
    // And the other way: a tool named as the resource is.
    const asTool = await mcpGenCli('add-tool', 'catalog', '-C', repo, '--yes');
    expect(asTool.code).toBe(2);
    expect(asTool.stderr).toContain('error: <name>: "catalog" is already a resource\'s name in this repo (tools, resources and prompts share one namespace); choose another name');
    expect(await readTree(repo)).toEqual(before);
  });
});

describe('mcp-gen add-prompt', () => {
  it('adds a prompt with its arguments and message', async () => {
    const run = await mcpGenCli('add-prompt', 'account_brief', '-C', repo, '--arg', 'account=The account id', '--arg', 'tone?', '--message', 'Brief me on {account}, in a {tone} tone.');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Added the prompt account_brief (account, tone?; scopes prompts:read).');
    const tree = await readTree(repo);
    expect(tree['src/prompts/account_brief.ts']).toContain('account: z.string().max(10_000).describe("The account id"),');
    expect(tree['src/prompts/account_brief.ts']).toContain('tone: z.string().max(10_000).optional(),');
    expect(tree['src/prompts/account_brief.ts']).toContain('const MESSAGE = "Brief me on {account}, in a {tone} tone.";');
    expect(tree['src/prompts/registry.ts']).toContain('accountBrief');
    expect((await json('contracts/tools.lock.json')).prompts.account_brief.arguments).toEqual([
      { name: 'account', description: 'The account id', required: true },
      { name: 'tone', required: false },
    ]);
    expect((await json('mcp-gen.json')).prompts[0]).toMatchObject({
      name: 'account_brief',
      arguments: [
        { name: 'account', description: 'The account id', required: true },
        { name: 'tone', description: '', required: false },
      ],
    });
  });

  it('says which hand-edited managed file it regenerated, and where the edit went', async () => {
    await appendFile(join(repo, 'src/tools/registry.ts'), '// ours\n');
    const run = await mcpGenCli('add-prompt', 'summarize_orders', '-C', repo);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: src/tools/registry.ts had been edited by hand; it was regenerated, and your version is in src/tools/registry.ts.orig');
    expect(await readFile(join(repo, 'src/tools/registry.ts.orig'), 'utf8')).toContain('// ours');
  });

  it('refuses a message naming an argument it does not have, or a malformed --arg, with exit 2', async () => {
    const before = await readTree(repo);
    const unknown = await mcpGenCli('add-prompt', 'p', '-C', repo, '--arg', 'x', '--message', 'Use {y}');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: --message: {y} is not one of the prompt's arguments (x)");
    const bad = await mcpGenCli('add-prompt', 'p', '-C', repo, '--arg', 'has space');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error: --arg (arguments[0].name): "has space" must be an identifier');
    expect(await readTree(repo)).toEqual(before);
  });
});
