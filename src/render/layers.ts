/**
 * Which template folders a spec selects, in the fixed order they are layered
 * (templates/README.md), and how a folder is read.
 */
// Synchronous reads: a render reads some 270 small files, and each asynchronous read is four
// round trips through the thread pool (open, fstat, read, close): ~75 ms against ~7.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import type { FileClass } from './file-tree.js';
import { isNetworked } from './context.js';
import { slotOf } from './slices.js';
import { readTemplatesManifest, type TemplatesManifest } from './templates-manifest.js';
import type { PrecompiledTemplates } from './handlebars-env.js';
import { loadCommonJs } from '../launcher.js';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

let manifest: TemplatesManifest | undefined | null = null;

/** The build's manifest of the packaged templates folder (src/render/templates-manifest.ts), when there is one. */
export function packagedTemplatesManifest(templatesDir: string): TemplatesManifest | undefined {
  if (templatesDir !== TEMPLATES_DIR) return undefined;
  if (manifest === null) manifest = readTemplatesManifest(new URL('./templates-manifest.json', import.meta.url));
  return manifest;
}

export interface LayerData {
  dependencies: string[];
  devDependencies: string[];
  scripts: Record<string, string>;
  scaffold: string[];
  managed: string[];
}

export interface LayerFile {
  /** Path inside the layer, POSIX, as it is in the template folder. */
  path: string;
  contents: string;
  executable: boolean;
}

export interface Layer {
  id: string;
  data: LayerData;
  files: LayerFile[];
  /** `slices/<slot>.hbs`: slot -> template source, composed by other templates, never written (src/render/slices.ts). */
  slices: Map<string, string>;
  /** The build's precompiled templates of this layer (packaged templates only). */
  precompiled?: PrecompiledTemplates;
  classOf(outputPath: string): FileClass;
}

/** Layers applied once for the whole repo; the `tool` layer is applied per tool. */
export function repoLayerIds(spec: CompleteProjectSpec): string[] {
  const ids = ['base'];
  if (spec.transport !== 'http') ids.push('transport/stdio');
  if (spec.transport !== 'stdio') ids.push('transport/http');
  // jwt and oauth share JWT verification (jose): one layer both build on.
  if (spec.auth === 'jwt' || spec.auth === 'oauth') ids.push('auth/token');
  ids.push(`auth/${spec.auth}`);
  for (const backend of spec.backends) ids.push(`backend/${backend.kind}`);
  if (isNetworked(spec)) ids.push('deploy');
  // A governed catalog: its three tools, its operations' data and the code that serves them.
  if (spec.catalog) ids.push('catalog');
  return ids;
}

export const TOOL_LAYER_ID = 'tool';
/** Applied instead of `tool` to a tool with an http binding (imported from an OpenAPI operation). */
export const OPERATION_LAYER_ID = 'operation';
/** Applied per resource and per prompt of the spec, as `tool` is per tool. */
export const RESOURCE_LAYER_ID = 'resource';
export const PROMPT_LAYER_ID = 'prompt';
/** Applied after `tool` for each tool with a `query` (imported by `mcp-gen import postgres`). */
export const IMPORT_POSTGRES_LAYER_ID = 'import/postgres';

/** Reads one layer folder; a render reads each layer once, however many tools use it. */
export async function loadLayer(id: string, templatesDir = TEMPLATES_DIR): Promise<Layer> {
  const manifest = packagedTemplatesManifest(templatesDir);
  const layer = await readLayer(id, join(templatesDir, id), manifest);
  const precompiled = manifest ? precompiledTemplates(id) : undefined;
  return precompiled ? { ...layer, precompiled } : layer;
}

/** One CommonJS file per layer (scripts/precompile-templates.mjs): a command loads those of the layers it renders. */
const PRECOMPILED_DIR = new URL('./precompiled/', import.meta.url);

function precompiledTemplates(id: string): PrecompiledTemplates | undefined {
  try {
    return loadCommonJs(fileURLToPath(new URL(`${id}.cjs`, PRECOMPILED_DIR))) as PrecompiledTemplates;
  } catch (err) {
    // A layer without templates has no file.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

async function readLayer(id: string, dir: string, manifest: TemplatesManifest | undefined): Promise<Layer> {
  const files: LayerFile[] = [];
  const slices = new Map<string, string>();
  let data: LayerData = { dependencies: [], devDependencies: [], scripts: {}, scaffold: [], managed: [] };
  const listed: Array<{ path: string; executable?: boolean }> | undefined = manifest
    ? manifest.layerFiles(id)
    : walk(dir).map((abs) => ({ path: relative(dir, abs).split(sep).join('/') }));
  if (!listed) throw new Error(`template layer missing: ${dir}`);
  for (const { path, executable } of listed) {
    const abs = join(dir, path);
    if (path === 'layer.json') {
      data = { ...data, ...(JSON.parse(readFileSync(abs, 'utf8')) as Partial<LayerData>) };
      continue;
    }
    const slot = slotOf(path);
    if (slot !== undefined) {
      slices.set(slot, readFileSync(abs, 'utf8'));
      continue;
    }
    files.push({ path, contents: readFileSync(abs, 'utf8'), executable: executable ?? (statSync(abs).mode & 0o111) !== 0 });
  }
  const isScaffold = await matcher(data.scaffold, manifest);
  const isManaged = await matcher(data.managed, manifest);
  return {
    id,
    data,
    files,
    slices,
    classOf: (p) => (isManaged(p) ? 'managed' : isScaffold(p) ? 'scaffold' : 'merged'),
  };
}

/** Whether a path matches any of the globs (`dot: true`), as picomatch has it; picomatch is loaded only for a glob the manifest has not compiled. */
async function matcher(globs: string[], manifest: TemplatesManifest | undefined): Promise<(path: string) => boolean> {
  const compiled = globs.map((glob) => manifest?.glob(glob));
  if (compiled.every((match) => match !== undefined)) return (path) => compiled.some((match) => match(path));
  const { default: picomatch } = await import('picomatch');
  return picomatch(globs, { dot: true });
}

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`template layer missing: ${dir}`);
    throw err;
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(abs));
    else if (entry.isFile()) out.push(abs);
  }
  return out;
}
