/**
 * Drives a generated repository the way a user does: the real CLI writes it (with its own
 * git commit and npm install), npm scripts build and test it, `npm start` serves it, and
 * the official SDK Client talks to it over HTTP and stdio.
 */
import { expect } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { GENERATED_CI_COMMANDS, type GeneratedCiCommand } from '../support/generated-ci.js';

const bin = fileURLToPath(new URL('../../bin/create-mcp-server.js', import.meta.url));

/** Long steps (npm install, a generated test suite) get minutes, not the unit-test default. */
export const SLOW = 600_000;

/**
 * How long the harness waits for a signal (a server answering) before calling it a hang. Not a
 * speed budget: on a busy machine a server may take many seconds to start.
 */
export const HANG_MS = 120_000;

/**
 * The bound of a test (or hook) that starts a server and drives it: a start may take up to
 * HANG_MS on a busy machine, and the calls after it as long again, so only a hang reaches it.
 */
export const SERVED = 3 * HANG_MS;

/**
 * The Redis generated repos' tests share rate limits through (they skip those tests without
 * REDIS_URL); .ci/run starts it. Every generated test suite run here gets it.
 */
export const E2E_REDIS_URL = process.env['E2E_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export async function generate(dir: string, ...args: string[]): Promise<string> {
  const result = await execa('node', [bin, dir, '--yes', ...args], { all: true, reject: false, env: { CI: 'true' } });
  if (result.exitCode !== 0) throw new Error(`create-mcp-server failed (${result.exitCode}):\n${result.all}`);
  return result.all ?? '';
}

/** Writes `spec` beside `dir` and generates the repo from it (`--config`), with `args` on top. */
export async function generateFromSpec(dir: string, spec: Record<string, unknown>, ...args: string[]): Promise<string> {
  const config = `${dir}.spec.json`;
  await writeFile(config, JSON.stringify(spec));
  return generate(dir, '--config', config, ...args);
}

/** Runs an npm script in the repo; fails the test with the script's output if it fails. */
export async function npmRun(dir: string, script: string, args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const result = await execa('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
    cwd: dir,
    all: true,
    reject: false,
    env: { REDIS_URL: E2E_REDIS_URL, ...env },
  });
  const all = (result.all ?? '').replace(/\x1b\[[0-9;]*m/g, ''); // vitest colours its summary
  if (result.exitCode !== 0) throw new Error(`npm run ${script} failed (${result.exitCode}):\n${all}`);
  return all;
}

/**
 * Runs the generated CI workflow's test job, command by command, as CI does (`CI=true`);
 * fails the test with a command's output if it fails. Returns each command's output.
 */
export async function runCiCommands(dir: string): Promise<Record<GeneratedCiCommand, string>> {
  const outputs = {} as Record<GeneratedCiCommand, string>;
  for (const command of GENERATED_CI_COMMANDS) {
    const [file, ...args] = command.split(' ') as [string, ...string[]];
    const result = await execa(file, args, { cwd: dir, all: true, reject: false, env: { CI: 'true', REDIS_URL: E2E_REDIS_URL } });
    const all = (result.all ?? '').replace(/\x1b\[[0-9;]*m/g, '');
    if (result.exitCode !== 0) throw new Error(`${command} failed (${result.exitCode}):\n${all}`);
    outputs[command] = all;
  }
  return outputs;
}

/** A generated repo's `npm test` output: tests ran, and none failed. */
export function expectAllPassed(out: string): void {
  expect(out).toMatch(/Tests\s+\d+ passed/);
  expect(out).not.toMatch(/\d+ failed/);
}

/** `npm run keys -- create …` prints the key alone on stdout. An approver needs a subject other than the caller's. */
export async function createKey(dir: string, tenant: string, scopes: string, subject = `${tenant}-user`): Promise<string> {
  const result = await execa('npm', ['run', '--silent', 'keys', '--', 'create', '--tenant', tenant, '--subject', subject, '--scopes', scopes], {
    cwd: dir,
  });
  const key = result.stdout.trim();
  if (!key || /\s/.test(key)) throw new Error(`unexpected keys output: ${result.stdout}`);
  return key;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  url: string;
  /** The server process itself (for reading its CPU time and memory from /proc). */
  pid: number;
  output: () => string;
  stop: () => Promise<number | undefined>;
  /** Sends a signal to the server process (e.g. SIGHUP: reload keys and rollout). */
  signal: (name: NodeJS.Signals) => void;
}

/**
 * The arguments `npm start` gives node (`node <flags> dist/main.js`), so that a test starts the
 * server as production does, without npm in between to keep SIGTERM from it.
 */
export async function npmStartArgs(dir: string): Promise<string[]> {
  const start: string = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).scripts.start;
  const words = start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js' || !words.slice(1, -1).every((word) => word.startsWith('--'))) {
    throw new Error(`npm start is not "node <flags> dist/main.js": ${start}`);
  }
  return words.slice(1);
}

/**
 * What `npm start` runs, started directly so that SIGTERM reaches the server itself; resolves
 * once /healthz answers. `nodeArgs` go first (a test's probe, e.g. `--expose-gc --require ...`).
 */
export async function startHttp(dir: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const child: ResultPromise = execa('node', [...nodeArgs, ...(await npmStartArgs(dir))], {
    cwd: dir,
    env: { MCP_TRANSPORT: 'http', PORT: String(port), HOST: '127.0.0.1', ...env },
    all: true,
    reject: false,
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + HANG_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`server did not become healthy within ${HANG_MS / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `${base}/mcp`,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      const result = await child;
      return result.exitCode;
    },
    signal: (name) => void child.kill(name),
  };
}

export async function connectHttp(url: string, key: string | undefined, era: 'legacy' | 'auto'): Promise<Client> {
  const client = new Client(
    { name: 'e2e', version: '1.0.0' },
    era === 'auto' ? { versionNegotiation: { mode: 'auto' } } : {},
  );
  const headers: Record<string, string> = key ? { Authorization: `Bearer ${key}` } : {};
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

export async function connectStdio(dir: string, env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  await client.connect(
    new StdioClientTransport({ command: 'node', args: ['dist/main.js'], cwd: dir, env: { ...inherited, MCP_TRANSPORT: 'stdio', ...env } }),
  );
  return client;
}

/** The JSON a tool returned, from structuredContent. */
export function structured(result: unknown): Record<string, unknown> {
  const r = result as { structuredContent?: Record<string, unknown>; isError?: boolean; content?: unknown };
  if (r.isError) throw new Error(`tool returned an error: ${JSON.stringify(r.content)}`);
  if (!r.structuredContent) throw new Error(`no structuredContent in ${JSON.stringify(result)}`);
  return r.structuredContent;
}
