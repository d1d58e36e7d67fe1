/**
 * The state a generated repo keeps (docs/architecture.md): `mcp-gen.json` (the spec and the generator
 * that last wrote the repo), `.mcp-gen/manifest.json` (class and base hash of every
 * generated path) and `.mcp-gen/base/` (the last generated content of merged files, the
 * merge base of the next upgrade). All are added to the tree like any generated file.
 */
import { createHash } from 'node:crypto';
import { FileTree } from '../render/file-tree.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { specJsonSchemaText } from '../spec/json-schema.js';
import { GENERATOR_VERSION } from '../version.js';

export const STATE_FILE = 'mcp-gen.json';
export const STATE_DIR = '.mcp-gen';
export const MANIFEST_FILE = `${STATE_DIR}/manifest.json`;
export const SCHEMA_FILE = `${STATE_DIR}/mcp-gen.schema.json`;
export const BASE_DIR = `${STATE_DIR}/base`;

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

/** Adds the state files for `tree` (which holds only generated project files). */
export function addStateFiles(tree: FileTree, spec: CompleteProjectSpec, migrations: readonly string[] = []): void {
  const files: Record<string, ManifestEntry> = {};
  const bases: Array<[string, string]> = [];
  for (const [path, file] of tree.entries()) {
    files[path] = { class: file.class, sha256: sha256(file.contents) };
    if (file.class === 'merged') bases.push([`${BASE_DIR}/${path}`, file.contents]);
  }
  for (const [path, contents] of bases) tree.set(path, { contents, class: 'managed' });
  tree.set(MANIFEST_FILE, { contents: `${JSON.stringify({ version: 1, files }, null, 2)}\n`, class: 'managed' });
  tree.set(SCHEMA_FILE, { contents: specJsonSchemaText(), class: 'managed' });
  const state = {
    $schema: `./${SCHEMA_FILE}`,
    ...answers(spec),
    generator: { version: GENERATOR_VERSION, migrations: [...migrations] },
  };
  tree.set(STATE_FILE, { contents: `${JSON.stringify(state, null, 2)}\n`, class: 'managed' });
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
    tools: spec.tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      access: t.access,
      version: t.version,
      scopes: t.scopes,
      backend: t.backend,
      ...(t.rateLimit ? { rateLimit: { perMinute: t.rateLimit.perMinute } } : {}),
      // Only when set: repos written before approvals existed keep an unchanged mcp-gen.json.
      ...(t.approval !== 'none' ? { approval: t.approval } : {}),
      params: t.params.map((p) => ({ name: p.name, type: p.type, description: p.description, required: p.required })),
    })),
  };
}
