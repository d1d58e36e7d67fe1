/**
 * What the repo's tool files serve, as its own `npm run contract -- --update` sees it: the
 * repo's registry loaded with the repo's own tsx and dependencies. A repo that is not
 * installed yet (a fresh clone, a CI job before `npm ci`) cannot be loaded; then each tool
 * file the registry imports is read for its literal name and description instead.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RepoState } from './repo-state.js';
import { literalToolFields, registryImports } from './tool-source.js';

export const REGISTRY_FILE = 'src/tools/registry.ts';

export interface ServedTools {
  /** tool name -> the description it serves, for every tool whose description could be known. */
  descriptions: Map<string, string>;
  /** How they were found: `loaded` ran the registry; `read` parsed the files. */
  how: 'loaded' | 'read';
}

/** Loading a tool file runs the user's code; it gets this long before the files are read instead. */
const LOAD_TIMEOUT_MS = 120_000;

export async function servedTools(repo: Pick<RepoState, 'dir' | 'readDisk'>): Promise<ServedTools> {
  return (await loadedTools(repo.dir)) ?? { descriptions: await readTools(repo), how: 'read' };
}

/** Runs the registry as it is on disk; undefined when the repo cannot run it (not installed, broken). */
async function loadedTools(dir: string): Promise<ServedTools | undefined> {
  const tsx = join(dir, 'node_modules/.bin/tsx');
  if (!existsSync(tsx) || !existsSync(join(dir, REGISTRY_FILE))) return undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'mcp-gen-tools-'));
  try {
    const script = join(scratch, 'served-tools.mts');
    const registry = pathToFileURL(join(dir, REGISTRY_FILE)).href;
    await writeFile(
      script,
      `const { tools } = await import(${JSON.stringify(registry)});\n` +
        `process.stdout.write(JSON.stringify(tools.map((t) => [t.name, t.description])));\n`,
    );
    const { execa } = await import('execa');
    const run = await execa(tsx, [script], { cwd: dir, reject: false, timeout: LOAD_TIMEOUT_MS, env: { NODE_ENV: 'production' } });
    if (run.exitCode !== 0) return undefined;
    const pairs = JSON.parse(run.stdout) as Array<[unknown, unknown]>;
    const descriptions = new Map<string, string>();
    for (const [name, description] of pairs) if (typeof name === 'string' && typeof description === 'string') descriptions.set(name, description);
    return { descriptions, how: 'loaded' };
  } catch {
    return undefined;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readTools(repo: Pick<RepoState, 'readDisk'>): Promise<Map<string, string>> {
  const descriptions = new Map<string, string>();
  const registry = await repo.readDisk(REGISTRY_FILE);
  if (registry === undefined) return descriptions;
  for (const specifier of registryImports(registry)) {
    const path = posix.join('src/tools', specifier.replace(/\.js$/, '.ts'));
    const source = await repo.readDisk(path);
    if (source === undefined) continue;
    const { name, description } = literalToolFields(source);
    if (name !== undefined && description !== undefined) descriptions.set(name, description);
  }
  return descriptions;
}
