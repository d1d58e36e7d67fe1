/**
 * The external tools the stress tests drive generated servers with, installed on first use into
 * .cache/stress-tools/ (gitignored) from test/stress/tools/package-lock.json with `npm ci`, and
 * reinstalled only when that lock changes:
 *
 * - the MCP conformance suite: 0.1.16 for 2025-11-25, 0.2.0-alpha.12 for 2026-07-28;
 * - the MCP Inspector CLI (2.x);
 * - Node.js 22 from the npm registry's `node` package: both crash or refuse to run on Node 20.
 *
 * Every command they run goes to 127.0.0.1 only.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const source = join(root, 'test', 'stress', 'tools');
const cache = join(root, '.cache', 'stress-tools');

export interface StressTools {
  /** The Node.js 22 binary. */
  node: string;
  /** conformance CLI entry points, run with `node`. */
  conformance2025: string;
  conformance2026: string;
  /** MCP Inspector launcher, run with `node`. */
  inspector: string;
}

let installing: Promise<StressTools> | undefined;

/** Installs the tools if the lock changed since the last install; returns their paths. */
export function stressTools(): Promise<StressTools> {
  installing ??= install();
  return installing;
}

async function install(): Promise<StressTools> {
  const lock = await readFile(join(source, 'package-lock.json'));
  const manifest = await readFile(join(source, 'package.json'));
  const stamp = createHash('sha256').update(manifest).update(lock).digest('hex');
  const stampFile = join(cache, '.installed');
  const installed = existsSync(stampFile) ? (await readFile(stampFile, 'utf8')).trim() : '';
  const tools: StressTools = {
    node: join(cache, 'node_modules', 'node', 'bin', 'node'),
    conformance2025: join(cache, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js'),
    conformance2026: join(cache, 'node_modules', 'conformance-2026', 'dist', 'index.js'),
    inspector: join(cache, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js'),
  };
  if (installed !== stamp || !Object.values(tools).every((path) => existsSync(path))) {
    await rm(cache, { recursive: true, force: true });
    await mkdir(cache, { recursive: true });
    await copyFile(join(source, 'package.json'), join(cache, 'package.json'));
    await copyFile(join(source, 'package-lock.json'), join(cache, 'package-lock.json'));
    await execa('npm', ['ci', '--no-audit', '--no-fund'], { cwd: cache, all: true }).catch((error: { all?: string }) => {
      throw new Error(`npm ci of the stress tools failed:\n${error.all ?? String(error)}`);
    });
    const missing = Object.entries(tools).filter(([, path]) => !existsSync(path));
    if (missing.length > 0) throw new Error(`the stress tools install lacks ${missing.map(([name, path]) => `${name} (${path})`).join(', ')}`);
    await writeFile(stampFile, `${stamp}\n`);
  }
  const { stdout } = await execa(tools.node, ['--version']);
  if (!stdout.startsWith('v22.')) throw new Error(`expected Node.js 22 from the node package, got ${stdout}`);
  return tools;
}
