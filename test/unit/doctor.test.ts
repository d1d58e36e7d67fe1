import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, cp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { BASE_ARCHIVE, decodeBaseArchive, encodeBaseArchive } from '../../src/upgrade/base-archive.js';

let root: { path: string; remove: () => Promise<void> };
let repo: string;
let n = 0;
beforeAll(async () => {
  root = await tempDir('cms-doctor-');
});
afterAll(() => root.remove());
beforeEach(async () => {
  repo = join(root.path, `repo-${++n}`);
  expect((await createCli(repo, '--yes', '--no-install', '--no-git', '--tool', 'search_orders', '--tool', 'create_order:write', '--tool', 'crm.get_account')).code).toBe(0);
});

const doctor = () => mcpGenCli('doctor', '-C', repo, '--no-contract');

describe('mcp-gen doctor', () => {
  it('finds nothing wrong in a fresh repo', async () => {
    expect(await doctor()).toMatchObject({ code: 0, stdout: 'No problems found.' });
  });

  it('a module of the user\'s beside the tools is not an unregistered tool', async () => {
    await writeFile(join(repo, 'src/tools/shared-schemas.ts'), "export const customerId = 'string';\n");
    expect(await doctor()).toMatchObject({ code: 0, stdout: 'No problems found.' });
  });

  it('finds each planted problem, and says how to fix it', async () => {
    await appendFile(join(repo, 'src/tools/registry.ts'), '// hand edit\n');
    await appendFile(join(repo, 'README.md'), '<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> new template\n');
    await copyFile(join(repo, 'src/tools/search_orders.ts'), join(repo, 'src/tools/list_stray.ts'));
    await copyFile(join(repo, 'src/tools/crm/get_account.ts'), join(repo, 'src/tools/crm/stray.ts'));
    await rm(join(repo, 'src/tools/create_order.ts'));
    const bases = decodeBaseArchive(await readFile(join(repo, BASE_ARCHIVE)));
    bases.delete('RUNBOOK.md');
    await writeFile(join(repo, BASE_ARCHIVE), await encodeBaseArchive(bases));
    const lock = JSON.parse(await readFile(join(repo, 'contracts/tools.lock.json'), 'utf8'));
    delete lock.tools.search_orders;
    lock.tools.get_retired = lock.tools.create_order;
    await writeFile(join(repo, 'contracts/tools.lock.json'), JSON.stringify(lock));
    const run = await doctor();
    expect(run.code).toBe(1);
    const found = [...run.stdout.matchAll(/^✗ (\S+) (\S+):/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(found).toEqual([
      'lock contracts/tools.lock.json',
      'lock contracts/tools.lock.json',
      'conflict-markers README.md',
      'missing-base RUNBOOK.md',
      'managed-edited src/tools/registry.ts',
      'unregistered-tool src/tools/crm/stray.ts',
      'unregistered-tool src/tools/list_stray.ts',
      'missing-tool-file src/tools/create_order.ts',
    ]);
    expect(run.stdout).toContain('stale: tool search_orders is not in the lock');
    expect(run.stdout).toContain('the lock holds get_retired, which is no longer a tool');
    expect(run.stdout).toContain('fix: resolve the conflict and remove the markers');
    expect(run.stdout).toMatch(/8 problems found\.$/);
  });

  it("checks resources' and prompts' files as it does tools': one the spec lists that is gone, one it does not list", async () => {
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    spec.resources = [{ name: 'catalog', uri: 'crm://catalog' }];
    spec.prompts = [{ name: 'brief' }];
    await writeFile(join(repo, 'mcp-gen.json'), JSON.stringify(spec));
    await writeFile(join(repo, 'src/prompts/brief.ts'), "import { definePrompt } from '../tool-model/define-prompt.js';\nexport default definePrompt({ name: 'x' } as never);\n");
    await writeFile(join(repo, 'src/prompts/stray.ts'), "import { definePrompt } from '../tool-model/define-prompt.js';\nexport default definePrompt({ name: 'x' } as never);\n");
    const run = await doctor();
    expect([...run.stdout.matchAll(/^✗ (\S+) (\S+):/gm)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      'missing-resource-file src/resources/catalog.ts',
      'unregistered-prompt src/prompts/stray.ts',
    ]);
    expect(run.stdout).toContain("fix: add it to mcp-gen.json's prompts and run mcp-gen upgrade");
  });

  it('in a repo an older generator wrote: asks for mcp-gen upgrade first instead of judging its layout by this version', async () => {
    // 0.1.0 kept a dotted tool at src/tools/crm-get_customer.ts; this version puts it in src/tools/crm/.
    const old = join(root.path, `old-${++n}`);
    await cp(fileURLToPath(new URL('../fixtures/upgrade/0.1.0/both-api-key', import.meta.url)), old, { recursive: true });
    const run = await mcpGenCli('doctor', '-C', old, '--no-contract');
    expect(run.code).toBe(1);
    const found = [...run.stdout.matchAll(/^✗ ([\w-]+)/gm)].map((m) => m[1]);
    expect(found).toEqual(['generator-version']);
    expect(run.stdout).toContain('made by create-mcp-server 0.1.0, older than this mcp-gen');
    expect(run.stdout).toContain('fix: run mcp-gen upgrade first');
    expect(run.stdout).not.toMatch(/missing-tool-file|unregistered-tool|build fails/);
  });

  it('reports an invalid mcp-gen.json field by field', async () => {
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    spec.transport = 'carrier-pigeon';
    await writeFile(join(repo, 'mcp-gen.json'), JSON.stringify(spec));
    const run = await doctor();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ spec mcp-gen.json: mcp-gen.json: transport: "carrier-pigeon" is not allowed; expected one of stdio, http, both');
  });

  it('--json for machines', async () => {
    await appendFile(join(repo, 'src/tools/registry.ts'), '// hand edit\n');
    const run = await mcpGenCli('doctor', '-C', repo, '--no-contract', '--json');
    expect(JSON.parse(run.stdout).problems).toEqual([expect.objectContaining({ check: 'managed-edited', path: 'src/tools/registry.ts' })]);
  });
});
