/**
 * The state a generated repo keeps (docs/architecture.md): `mcp-gen.json` (the spec and the generator
 * that last wrote the repo), `.mcp-gen/manifest.json` (class and base hash of every
 * generated path) and `.mcp-gen/base.json.gz` (the last generated content of merged files, the
 * merge base of the next upgrade; see base-archive.ts). All are added to the tree like any generated file.
 */
import { createHash } from 'node:crypto';
import { FileTree } from '../render/file-tree.js';
import type { CompleteProjectSpec, CompleteToolSpec } from '../spec/tool-defaults.js';
import { builtSpecJsonSchemaText } from '../spec/json-schema.js';
import { GENERATOR_VERSION } from '../version.js';
import { BASE_ARCHIVE, encodeBaseArchive } from './base-archive.js';

export { BASE_ARCHIVE, LEGACY_BASE_DIR } from './base-archive.js';

export const STATE_FILE = 'mcp-gen.json';
export const STATE_DIR = '.mcp-gen';
export const MANIFEST_FILE = `${STATE_DIR}/manifest.json`;
export const SCHEMA_FILE = `${STATE_DIR}/mcp-gen.schema.json`;
/** Tells git and GitHub the state is generated (collapsed in pull requests) and the archive binary (no text diff or merge). */
export const STATE_ATTRIBUTES_FILE = `${STATE_DIR}/.gitattributes`;

const STATE_ATTRIBUTES = `# mcp-gen's bookkeeping, rewritten by every mcp-gen command: not for review, and the merge bases are compressed.
* linguist-generated=true
base.json.gz binary
`;

export interface ManifestEntry {
  class: 'managed' | 'merged' | 'scaffold';
  sha256: string;
}

/** The generator's own bookkeeping: always rewritten, never merged or reported. */
export function isStateFile(path: string): boolean {
  return path === STATE_FILE || path.startsWith(`${STATE_DIR}/`);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What a generated repo held before a command re-renders it: its base archive and its manifest. */
export interface PreviousState {
  archive: Uint8Array;
  manifest: Record<string, ManifestEntry>;
}

/**
 * Adds the state files for `tree` (which holds only generated project files). `previous`: the
 * repo's archive is kept as it is when it holds the same bases (see encodeBaseArchive).
 */
export async function addStateFiles(tree: FileTree, spec: CompleteProjectSpec, migrations: readonly string[] = [], previous?: PreviousState): Promise<void> {
  const files: Record<string, ManifestEntry> = {};
  const bases: Array<[string, string, string]> = [];
  for (const [path, file] of tree.entries()) {
    files[path] = { class: file.class, sha256: sha256(file.contents) };
    if (file.class === 'merged') bases.push([path, file.contents, files[path].sha256]);
  }
  // The manifest holds every base's hash: when they are the ones now made, the archive can be
  // kept as it is (see encodeBaseArchive); else its unchanged groups are.
  const previousArchive = previous && { archive: previous.archive, sameBases: sameMergedHashes(files, previous.manifest) };
  // Compressed on the thread pool while the other state files are made here.
  const archive = encodeBaseArchive(bases, previousArchive);
  tree.set(STATE_ATTRIBUTES_FILE, { contents: STATE_ATTRIBUTES, class: 'managed' });
  tree.set(MANIFEST_FILE, { contents: manifestText(files), class: 'managed' });
  tree.set(SCHEMA_FILE, { contents: builtSpecJsonSchemaText(), class: 'managed' });
  const state = {
    $schema: `./${SCHEMA_FILE}`,
    ...answers(spec),
    generator: { version: GENERATOR_VERSION, migrations: [...migrations] },
  };
  tree.set(STATE_FILE, { contents: `${JSON.stringify(state, null, 2)}\n`, class: 'managed' });
  tree.set(BASE_ARCHIVE, { contents: (await archive).toString('base64'), class: 'managed', encoding: 'base64' });
}

function sameMergedHashes(next: Record<string, ManifestEntry>, previous: Record<string, ManifestEntry>): boolean {
  const merged = (files: Record<string, ManifestEntry>) => Object.entries(files).filter(([, e]) => e.class === 'merged');
  const before = new Map(merged(previous).map(([path, e]) => [path, e.sha256]));
  const after = merged(next);
  return after.length === before.size && after.every(([path, e]) => before.get(path) === e.sha256);
}

/** One line per path: a change to the manifest reads as the paths it changed, in a third of the lines. */
function manifestText(files: Record<string, ManifestEntry>): string {
  const entries = Object.entries(files).map(([path, e]) => `    ${JSON.stringify(path)}: { "class": ${JSON.stringify(e.class)}, "sha256": ${JSON.stringify(e.sha256)} }`);
  return `{\n  "version": 1,\n  "files": {\n${entries.join(',\n')}\n  }\n}\n`;
}

/** The spec in one fixed key order, whichever order it was given in: mcp-gen.json is diffed and reviewed. */
function answers(spec: CompleteProjectSpec) {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    transport: spec.transport,
    auth: spec.auth,
    backends: spec.backends.map((b) => ({ kind: b.kind })),
    tools: spec.tools.map(toolAnswers),
    // Only when there are some: a tools-only repo's mcp-gen.json stays as it was.
    ...(spec.resources.length > 0 ? { resources: spec.resources } : {}),
    ...(spec.prompts.length > 0 ? { prompts: spec.prompts } : {}),
    ...(spec.postgresImport ? { postgresImport: spec.postgresImport } : {}),
    ...(spec.openapi ? { openapi: spec.openapi } : {}),
    // A governed catalog (mcp-gen import openapi): the operations its tools serve.
    ...(spec.catalog ? { catalog: { operations: spec.catalog.operations.map(toolAnswers) } } : {}),
  };
}

/** One tool (or catalog operation) of the spec, in a fixed key order. */
function toolAnswers(t: CompleteToolSpec) {
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    access: t.access,
    version: t.version,
    scopes: t.scopes,
    backend: t.backend,
    ...(t.rateLimit ? { rateLimit: { perMinute: t.rateLimit.perMinute } } : {}),
    ...(t.cache ? { cache: { ttlSeconds: t.cache.ttlSeconds } } : {}),
    ...(t.maxResponseTokens !== undefined ? { maxResponseTokens: t.maxResponseTokens } : {}),
    // Only when set: repos written before approvals existed keep an unchanged mcp-gen.json.
    ...(t.approval !== 'none' ? { approval: t.approval } : {}),
    params: t.params.map((p) => ({
      name: p.name,
      type: p.type,
      description: p.description,
      required: p.required,
      ...(p.enum ? { enum: p.enum } : {}),
      ...(p.default !== undefined ? { default: p.default } : {}),
      ...(p.format ? { format: p.format } : {}),
    })),
    // A tool imported from a database: what it queries (mcp-gen import postgres).
    ...(t.query ? { query: t.query } : {}),
    // An imported tool's API call (mcp-gen import openapi): what its file is rendered from.
    ...(t.http ? { http: t.http } : {}),
    // One of a governed catalog's three tools.
    ...(t.catalogRole ? { catalogRole: t.catalogRole } : {}),
  };
}
