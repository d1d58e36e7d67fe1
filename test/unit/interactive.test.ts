/**
 * The prompts, driven through a real pseudo-terminal (util-linux `script`), and the
 * guarantee that without a terminal the CLI never waits for input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { tempDir } from '../support/temp-dir.js';

const bin = fileURLToPath(new URL('../../bin/create-mcp-server.js', import.meta.url));
let root: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  root = await tempDir('cms-prompts-');
});
afterAll(() => root.remove());

const ENTER = '\r';
const DOWN = '\x1b[B';

/** Runs the CLI on a pty; each step waits for a prompt text, then types the answer. */
async function drive(args: string[], steps: Array<[prompt: string, keys: string]>): Promise<{ code: number | null; screen: string }> {
  // A pty starts 0 columns wide; clack would wrap every character onto its own line.
  const command = `stty cols 120 rows 40; exec ${['node', bin, ...args].map((a) => `'${a}'`).join(' ')}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, TERM: 'xterm', COLUMNS: '120' } });
  let screen = '';
  child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', r));
  let seen = 0;
  for (const [prompt, keys] of steps) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const at = screen.indexOf(prompt, seen);
      if (at !== -1) {
        seen = at + prompt.length;
        break;
      }
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`prompt "${prompt}" never appeared; screen:\n${screen}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 60));
    child.stdin.write(keys);
  }
  return { code: await exited, screen };
}

describe('interactive prompts', () => {
  it('ask for what flags did not give, and write the answers to mcp-gen.json', async () => {
    const dir = join(root.path, 'asked');
    const { code, screen } = await drive(
      [dir, '--no-install', '--no-git', '--auth', 'none'],
      [
        ['Package name', ENTER],
        ['what does this server give access to?', `Orders for Claude.${ENTER}`],
        ['Transport', `${DOWN}${ENTER}`],
        ['Backends the tools reach', ENTER],
        ['Add a tool now?', ENTER],
        ['Tool name', `search_orders${ENTER}`],
        ['Does it read or change data?', ENTER],
        ['Describe it for the model', `Find orders by customer.${ENTER}`],
        ['Parameters', `customer:string, limit:integer?${ENTER}`],
        ['Add another tool?', ENTER],
        ['Also serve resources', ENTER],
      ],
    );
    expect(code, screen).toBe(0);
    expect(screen).not.toContain('How do clients authenticate'); // given as a flag
    const state = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    expect(state).toMatchObject({ name: 'asked', description: 'Orders for Claude.', transport: 'both', auth: 'none' });
    expect(state.tools).toEqual([
      expect.objectContaining({
        name: 'search_orders',
        access: 'read',
        description: 'Find orders by customer.',
        params: [
          { name: 'customer', type: 'string', description: '', required: true },
          { name: 'limit', type: 'integer', description: '', required: false },
        ],
      }),
    ]);
  }, 60_000);

  it('refuse a bad tool name at the prompt and ask again', async () => {
    const dir = join(root.path, 'retry');
    const { code, screen } = await drive(
      [dir, '--no-install', '--no-git', '--transport', 'stdio', '--auth', 'none', '--description', 'x', '--backend', 'sample'],
      [
        ['Package name', ENTER],
        ['Add a tool now?', ENTER],
        ['Tool name', `bad name${ENTER}`],
        ['use 1-64 characters', `\x7f\x7f\x7f\x7f\x7f_ok${ENTER}`],
        ['Does it read or change data?', `${DOWN}${ENTER}`],
        ['Does a call need approval before it runs?', `${DOWN}${ENTER}`],
        ['Describe it for the model', ENTER],
        ['Parameters', ENTER],
        ['Add another tool?', ENTER],
        ['Also serve resources', ENTER],
      ],
    );
    expect(code, screen).toBe(0);
    const state = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    expect(state.tools.map((t: { name: string; access: string; approval: string }) => [t.name, t.access, t.approval])).toEqual([
      ['bad_ok', 'write', 'client'],
    ]);
  }, 60_000);

  it('add resources and prompts only when asked, checking each answer', async () => {
    const dir = join(root.path, 'items');
    const { code, screen } = await drive(
      [dir, '--no-install', '--no-git', '--transport', 'stdio', '--auth', 'none', '--description', 'x', '--backend', 'sample', '--tool', 'search_orders'],
      [
        ['Package name', ENTER],
        ['Also serve resources', `y${ENTER}`],
        ['Add a resource?', ENTER],
        ['Resource name', `search_orders${ENTER}`],
        ['already the name of a tool', `\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f${'crm.order'}${ENTER}`],
        ['Its URI', `crm://orders/{id}${ENTER}`],
        ['What does it hold', `One order, by id.${ENTER}`],
        ['Add another resource?', ENTER],
        ['Add a prompt?', ENTER],
        ['Prompt name', `order_brief${ENTER}`],
        ['Its arguments', `order, tone?${ENTER}`],
        ['The message it returns', `Brief me on order {order} ({tone}).${ENTER}`],
        ['Add another prompt?', ENTER],
      ],
    );
    expect(code, screen).toBe(0);
    const state = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    expect(state.resources).toEqual([expect.objectContaining({ name: 'crm.order', uriTemplate: 'crm://orders/{id}', description: 'One order, by id.' })]);
    expect(state.prompts).toEqual([
      expect.objectContaining({
        name: 'order_brief',
        arguments: [
          { name: 'order', description: '', required: true },
          { name: 'tone', description: '', required: false },
        ],
        message: 'Brief me on order {order} ({tone}).',
      }),
    ]);
    expect(await readFile(join(dir, 'src/resources/crm/order.ts'), 'utf8')).toContain('defineResource');
  }, 60_000);

  it('Ctrl-C cancels with exit 2 and writes nothing', async () => {
    const dir = join(root.path, 'cancelled');
    const { code } = await drive([dir, '--no-install', '--no-git'], [['Package name', '\x03']]);
    expect(code).toBe(2);
    await expect(readFile(join(dir, 'mcp-gen.json'))).rejects.toThrow();
  }, 30_000);
});

describe('without a terminal', () => {
  it('never waits for input: defaults fill what was not given', async () => {
    const dir = join(root.path, 'piped');
    // stdin stays open and empty: a prompt would hang until the timeout.
    const run = await execa('node', [bin, dir, '--no-install', '--no-git'], { timeout: 20_000, input: undefined, stdin: 'pipe' });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('no terminal to ask on; using defaults');
    const state = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    expect(state.tools.map((t: { name: string }) => t.name)).toEqual(['search_records', 'get_record', 'create_record']);
  }, 30_000);
});
