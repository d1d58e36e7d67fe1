import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { readTree, tempDir } from '../support/temp-dir.js';
import { GENERATOR_VERSION } from '../../src/version.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ path: root, remove: cleanup } = await tempDir());
});
afterAll(() => cleanup());

const quiet = ['--yes', '--no-install', '--no-git'];
let n = 0;
const fresh = () => join(root, `repo-${++n}`);

async function expectNothingWritten(dir: string) {
  expect(existsSync(dir)).toBe(false);
  expect((await readdir(root)).filter((e) => e.startsWith('.'))).toEqual([]);
}

describe('create-mcp-server: bad input is refused with exit 2 and nothing written', () => {
  it.each([
    [['--transport', 'ftp'], 'error: --transport: "ftp" is not allowed; expected one of stdio, http, both'],
    [['--auth', 'ldap'], 'error: --auth: "ldap" is not allowed; expected one of none, api-key, jwt, oauth'],
    [['--backend', 'mysql'], 'error: --backend (backends[0].kind): "mysql" is not allowed; expected one of sample, postgres, http'],
    [['--tool', 'bad name:read'], 'error: --tool (tools[0].name): "bad name" must be 1-64 characters of A-Z a-z 0-9 _ . -'],
    [['--tool', 'get_x:delete'], 'error: --tool (tools[0].access): "delete" is not allowed; expected one of read, write'],
    [['--tool', 'get_x', '--tool', 'get_x:write'], 'error: --tool (tools[1].name): "get_x" is a duplicate of tools[0]; tool names must be unique'],
    [['--name', 'Not Valid'], 'error: --name: "Not Valid" must be a valid npm package name'],
    [['--tool', 'search_x:read(when:date)'], 'error: --tool search_x:read(when:date): "when:date": type "date" is not allowed; expected one of string, number, integer, boolean, string[]'],
    [['--tool', 'search_x:read(query:string'], 'error: --tool search_x:read(query:string: a parameter list goes in parentheses at the end'],
  ])('%j', async (args, message) => {
    const dir = fresh();
    const run = await createCli(dir, ...quiet, ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Nothing was written.');
    await expectNothingWritten(dir);
  });

  it('an unknown flag', async () => {
    const dir = fresh();
    const run = await createCli(dir, '--transprot', 'http');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option '--transprot'/);
    await expectNothingWritten(dir);
  });

  it('a config file that is not JSON, names the file and the parse error', async () => {
    const config = join(root, 'broken.json');
    await writeFile(config, '{ "name": "x", ');
    const dir = fresh();
    const run = await createCli(dir, ...quiet, '--config', config);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`error: --config ${config}: not valid JSON \\(.+\\)`));
    await expectNothingWritten(dir);
  });

  it('a config file that is not a valid spec, one line per problem, naming the file', async () => {
    const config = join(root, 'invalid.json');
    await writeFile(config, JSON.stringify({ name: 'x', transport: 'smoke', tools: [{ name: 'ok_tool' }, { name: 'a/b' }] }));
    const dir = fresh();
    const run = await createCli(dir, ...quiet, '--config', config);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')).toEqual([
      `error: ${config}: transport: "smoke" is not allowed; expected one of stdio, http, both`,
      `error: ${config}: tools[1].name: "a/b" must be 1-64 characters of A-Z a-z 0-9 _ . - (many clients refuse longer tool names)`,
      'Nothing was written.',
    ]);
    await expectNothingWritten(dir);
  });

  it('a config file that does not exist', async () => {
    const run = await createCli(fresh(), ...quiet, '--config', join(root, 'missing.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--config .*missing\.json: cannot be read \(ENOENT\)/);
  });

  it('a non-empty target without --force, leaving it exactly as it was', async () => {
    const dir = fresh();
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const run = await createCli(dir, ...quiet);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not empty (notes.txt); choose a new directory or pass --force');
    expect(await readTree(dir)).toEqual({ 'notes.txt': 'mine' });
  });
});

describe('create-mcp-server: writing', () => {
  it('--dry-run lists every file and writes nothing', async () => {
    const dir = fresh();
    const run = await createCli(dir, ...quiet, '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/create +src\/server\.ts/);
    expect(run.stdout).toMatch(/create +mcp-gen\.json/);
    expect(run.stdout).toMatch(/\d+ files in .*: \d+ to create/);
    expect(run.stdout).toContain('Dry run: nothing was written.');
    await expectNothingWritten(dir);
  });

  it('writes a repo whose files match the dry-run plan, with spec and state files', async () => {
    const dir = fresh();
    const dry = await createCli(dir, ...quiet, '--transport', 'both', '--tool', 'search_customers:read', '--tool', 'create_note:write', '--dry-run');
    const run = await createCli(dir, ...quiet, '--transport', 'both', '--tool', 'search_customers:read', '--tool', 'create_note:write');
    expect(run.code).toBe(0);
    const files = Object.keys(await readTree(dir)).sort();
    const planned = [...dry.stdout.matchAll(/^ {2}create +(\S+)/gm)].map((m) => m[1]).sort();
    expect(files).toEqual(planned);
    const state = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    expect(state).toMatchObject({ name: `repo-${n}`, transport: 'both', auth: 'api-key', generator: { version: GENERATOR_VERSION, migrations: [] } });
    expect(state.tools.map((t: { name: string; access: string }) => `${t.name}:${t.access}`)).toEqual(['search_customers:read', 'create_note:write']);
    expect(run.stdout).toContain('Next steps:');
    expect(run.stdout).toContain('npm run keys -- create --tenant acme');
  });

  it('--tool takes a parameter list in parentheses; without one the tool takes none', async () => {
    const dir = fresh();
    const run = await createCli(dir, ...quiet, '--tool', 'search_customers:read(query:string?, limit:integer?)', '--tool', 'create_note:write(text:string)', '--tool', 'ping');
    expect(run.code, run.stderr).toBe(0);
    const state = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    const params = (name: string) => state.tools.find((t: { name: string }) => t.name === name).params;
    expect(params('search_customers')).toEqual([
      { name: 'query', type: 'string', description: '', required: false },
      { name: 'limit', type: 'integer', description: '', required: false },
    ]);
    expect(params('create_note')).toEqual([{ name: 'text', type: 'string', description: '', required: true }]);
    expect(params('ping')).toEqual([]);
    expect(state.tools.find((t: { name: string }) => t.name === 'create_note').access).toBe('write');
  });

  it('is deterministic: the same spec gives byte-identical repos', async () => {
    const a = fresh();
    const b = fresh();
    const args = [...quiet, '--name', 'same', '--transport', 'http', '--tool', 'get_a', '--tool', 'create_b:write'];
    expect((await createCli(a, ...args)).code).toBe(0);
    expect((await createCli(b, ...args)).code).toBe(0);
    expect(await readTree(b)).toEqual(await readTree(a));
  });

  it('a repo\'s mcp-gen.json works as --config for an identical repo', async () => {
    const a = fresh();
    expect((await createCli(a, ...quiet, '--name', 'again', '--transport', 'stdio', '--auth', 'none')).code).toBe(0);
    const b = fresh();
    expect((await createCli(b, ...quiet, '--config', join(a, 'mcp-gen.json'))).code).toBe(0);
    expect(await readTree(b)).toEqual(await readTree(a));
  });

  it('warns about tool names without a verb, and still writes', async () => {
    const dir = fresh();
    const run = await createCli(dir, ...quiet, '--tool', 'customers');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning customers: the name should start with a verb saying what it does (e.g. search_customers), not "customers" [name-verb-first]');
    expect(existsSync(join(dir, 'src/tools/customers.ts'))).toBe(true);
  });

  it('--force writes into a non-empty directory and keeps files it does not generate', async () => {
    const dir = fresh();
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await writeFile(join(dir, 'package.json'), '{ "old": true }');
    const run = await createCli(dir, ...quiet, '--force');
    expect(run.code).toBe(0);
    const tree = await readTree(dir);
    expect(tree['notes.txt']).toBe('mine');
    expect(JSON.parse(tree['package.json']!).name).toBe(`repo-${n}`);
    expect(tree['mcp-gen.json']).toBeDefined();
  });

  it('a directory holding only .git counts as empty: written without --force, its history kept', async () => {
    const dir = fresh();
    await mkdir(dir);
    const { execa } = await import('execa');
    await execa('git', ['init', '-q'], { cwd: dir });
    const run = await createCli(dir, '--yes', '--no-install', '--tool', 'search_customers:read');
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, 'mcp-gen.json'))).toBe(true);
    const log = await execa('git', ['log', '--format=%s'], { cwd: dir });
    expect(log.stdout).toBe(`Generate with create-mcp-server ${GENERATOR_VERSION}`);
    // One tool is "1 tool".
    expect(run.stdout).toContain(': 1 tool, http transport, api-key auth.');
  });

  it('the printed cd quotes a path with spaces', async () => {
    const dir = join(root, `my server's ${++n}`);
    const run = await createCli(dir, ...quiet);
    expect(run.code, run.stderr).toBe(0);
    const cd = run.stdout.split('\n').find((l) => l.trim().startsWith('cd '))!.trim();
    expect(cd, run.stdout).toMatch(/^cd '[^']*my server'\\''s \d+'$/);
    const { execa } = await import('execa');
    expect((await execa('sh', ['-c', `${cd} && pwd`], { cwd: process.cwd() })).stdout).toBe(dir);
  });

  it('git init and a first commit unless --no-git', async () => {
    const dir = fresh();
    const run = await createCli(dir, '--yes', '--no-install');
    expect(run.code).toBe(0);
    const { execa } = await import('execa');
    const log = await execa('git', ['log', '--format=%s'], { cwd: dir });
    expect(log.stdout).toBe(`Generate with create-mcp-server ${GENERATOR_VERSION}`);
    const status = await execa('git', ['status', '--porcelain'], { cwd: dir });
    expect(status.stdout).toBe('');
  });
});

describe('create-mcp-server: interrupted after writing', () => {
  it('says the repository is written but not set up, and how to finish it, on SIGINT during npm install', async () => {
    const dir = fresh();
    // The real launcher, as a terminal runs it: Ctrl-C reaches the generator while npm installs.
    const child = execa('node', [fileURLToPath(new URL('../../bin/create-mcp-server.js', import.meta.url)), dir, '--yes', '--tool', 'search_orders'], { reject: false });
    let stdout = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Installing dependencies (npm install)...')) resolve();
      });
    });
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain(`interrupted by SIGINT: the repository is written in ${dir} but not set up.`);
    expect(result.stderr).toContain('npm install && npm run contract -- --update && git init && git add -A');
    expect(existsSync(join(dir, 'mcp-gen.json'))).toBe(true);
    expect(existsSync(join(dir, '.git'))).toBe(false);
  }, 120_000);
});

describe('help and version', () => {
  it('create-mcp-server --help and --version', async () => {
    const help = await createCli('--help');
    expect(help.code).toBe(0);
    for (const flag of ['--transport', '--auth', '--backend', '--tool', '--config', '--yes', '--no-install', '--no-git', '--dry-run', '--force']) {
      expect(help.stdout).toContain(flag);
    }
    const version = await createCli('--version');
    expect(version).toMatchObject({ code: 0, stdout: GENERATOR_VERSION });
  });

  it('mcp-gen --help and --version', async () => {
    expect((await mcpGenCli('--help')).stdout).toContain('Usage: mcp-gen');
    expect(await mcpGenCli('--version')).toMatchObject({ code: 0, stdout: GENERATOR_VERSION });
    expect((await mcpGenCli('nonsense')).code).toBe(2);
  });
});
