/**
 * import openapi: an OpenAPI document and mcp-gen.json's `openapi` block (the user's curation)
 * -> the spec's imported tools, one per selected operation. Writes nothing.
 *
 * The imported tools are ordinary `tools` entries with an `http` binding, so every later
 * command (upgrade included) re-renders them from mcp-gen.json alone. A re-import replaces the
 * imported entries with the ones the document now makes (tools the user added otherwise stay)
 * and goes through respec like add-tool: their files are merged (the user's edits kept), a new
 * tool gains its lock entry, and a changed or removed one is left for the contract check to
 * classify against the lock.
 */
import { relative, resolve, sep } from 'node:path';
import { SpecError, describeIssues, type FieldLabeler } from '../spec/issues.js';
import { MAX_CATALOG_OPERATIONS, MAX_TOOLS, OPENAPI_MODES, OpenApiImportSpec } from '../spec/project-spec.js';
import { catalogTools } from '../import/openapi/catalog-tools.js';
import { isUrl, loadOpenApiDocument } from '../import/openapi/load-document.js';
import { importOpenApi, type ImportResult } from '../import/openapi/import-tools.js';
import { COMMON_VERBS, lintTools, type LintReport } from '../lint/tool-rules.js';
import { toolLockEntry, operationLockEntry } from '../contract/tools-lock.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { addLockEntries } from './lock-entry.js';
import { currentSpec, inMcpGenJson, respec, type Respec } from './respec.js';

export interface OpenApiRequest {
  /** The document as the user named it (a path from `cwd`, or a URL); default: the overlay's source. */
  source?: string;
  /** Where a relative `source` is read from. */
  cwd: string;
  /** Read external `$ref`s and URLs. */
  allowExternal?: boolean;
  /** `--mode`: recorded as openapi.mode (default: the overlay's, "auto"). */
  mode?: string;
  /** The flag that gave `mode`, for its error (default `--mode`; create's is `--openapi-mode`). */
  modeFlag?: string;
  /**
   * Mode "auto" above the threshold, in an interactive run: asks whether to use the catalog
   * (the answer is recorded as openapi.mode). Without it the threshold decides.
   */
  chooseCatalog?: (count: number, threshold: number) => Promise<boolean>;
}

export type ImportMode = 'tools' | 'catalog';

export interface OpenApiImport {
  /** The raw spec with the imported tools and the `openapi` block. */
  raw: Record<string, unknown>;
  result: ImportResult;
  /** One tool per operation, or the governed catalog; and why. */
  mode: ImportMode;
  reason: string;
  /** Imported tool names the spec did not have before, and those it no longer has. */
  added: string[];
  removed: string[];
  /** The same for a catalog's operations (each has a lock entry of its own). */
  addedOperations: string[];
  removedOperations: string[];
}

type RawTool = Record<string, unknown> & { name?: unknown; http?: unknown; catalogRole?: unknown };

/** A tool an import made (one per operation, or a catalog tool): the next import replaces it. */
const isImported = (tool: RawTool) => tool.http !== undefined || tool.catalogRole !== undefined;

/**
 * The tools after an import, in the order the user has them (the order of tools/list, the
 * registry, README and RUNBOOK): each tool the import makes again where it was, the user's own
 * where they were, and new ones after the last imported tool (at the end on a first import). An
 * unchanged document changes nothing.
 */
function inPlace(tools: readonly RawTool[], imported: readonly RawTool[]): RawTool[] {
  const byName = new Map(imported.map((tool) => [String(tool.name), tool]));
  const out: RawTool[] = [];
  let afterImported = -1;
  for (const tool of tools) {
    if (!isImported(tool)) {
      out.push(tool);
      continue;
    }
    const again = byName.get(String(tool.name));
    if (again) {
      out.push(again);
      byName.delete(String(tool.name));
    }
    afterImported = out.length;
  }
  out.splice(afterImported === -1 ? out.length : afterImported, 0, ...byName.values());
  return out;
}

/**
 * `raw` (mcp-gen.json's shape, or what create's flags built) with its imported tools made
 * again from the document. `repoDir` is where the source is recorded relative to.
 */
export async function withOpenApiTools(raw: Record<string, unknown>, request: OpenApiRequest, repoDir: string, label: FieldLabeler = inMcpGenJson): Promise<OpenApiImport> {
  const previous = (raw.openapi ?? {}) as Record<string, unknown>;
  let source = typeof previous.source === 'string' ? previous.source : undefined;
  let location = source !== undefined && !isUrl(source) ? resolve(repoDir, source) : source;
  if (request.source !== undefined) {
    location = isUrl(request.source) ? request.source : resolve(request.cwd, request.source);
    source = isUrl(request.source) ? request.source : relative(repoDir, location).split(sep).join('/') || '.';
  }
  if (source === undefined || location === undefined) {
    throw new SpecError(['<file|url>: name the OpenAPI document to import (mcp-gen.json has no openapi.source yet)']);
  }
  if (request.mode !== undefined && !(OPENAPI_MODES as readonly string[]).includes(request.mode)) {
    throw new SpecError([`${request.modeFlag ?? '--mode'}: "${request.mode}" is not a mode; use one of ${OPENAPI_MODES.join(', ')}`]);
  }
  const asked = { ...previous, source, ...(request.mode !== undefined ? { mode: request.mode } : {}) };
  const parsed = OpenApiImportSpec.safeParse(asked);
  if (!parsed.success) throw new SpecError(describeIssues(parsed.error.issues, asked, (path) => label(['openapi', ...path])));
  const overlay = parsed.data;

  const { document } = await loadOpenApiDocument(location, { baseDir: request.cwd, allowExternal: request.allowExternal });
  const transport = raw.transport ?? 'http';
  const auth = raw.auth ?? 'api-key';
  const result = importOpenApi(document, overlay, {
    verbs: COMMON_VERBS,
    deleteApproval: transport !== 'stdio' && auth !== 'none' ? 'human' : 'client',
  });

  const tools = (Array.isArray(raw.tools) ? raw.tools : []) as RawTool[];
  const before = new Map(tools.filter(isImported).map((t) => [String(t.name), t]));
  const own = tools.filter((t) => !isImported(t));
  // What the user set on an entry and the document does not say: kept across imports.
  const keep = (entry: Record<string, unknown>, previousEntry: Record<string, unknown> | undefined) => {
    const kept = previousEntry ?? {};
    return { ...entry, ...Object.fromEntries(['version', 'cache', 'maxResponseTokens'].filter((k) => kept[k] !== undefined).map((k) => [k, kept[k]])) };
  };
  const previousOperations = new Map(
    ((raw.catalog as { operations?: RawTool[] } | undefined)?.operations ?? []).map((op) => [String(op.name), op as Record<string, unknown>]),
  );
  const count = result.tools.length;
  if (own.length + count === 0) {
    throw new SpecError([`${source}: no operation selected (check openapi.include and openapi.exclude); a server needs at least one tool`]);
  }
  let mode: ImportMode;
  let reason: string;
  if (overlay.mode !== 'auto') {
    mode = overlay.mode;
    reason = `openapi.mode is "${overlay.mode}"`;
  } else if (count <= overlay.catalogThreshold) {
    mode = 'tools';
    reason = `${count} operations selected, at most openapi.catalogThreshold (${overlay.catalogThreshold})`;
  } else if (request.chooseCatalog) {
    mode = (await request.chooseCatalog(count, overlay.catalogThreshold)) ? 'catalog' : 'tools';
    reason = `${count} operations selected, over openapi.catalogThreshold (${overlay.catalogThreshold}); chosen, and recorded as openapi.mode`;
  } else {
    mode = 'catalog';
    reason = `${count} operations selected, over openapi.catalogThreshold (${overlay.catalogThreshold})`;
  }
  const recorded = { ...previous, source, ...(request.mode !== undefined || (overlay.mode === 'auto' && request.chooseCatalog && count > overlay.catalogThreshold) ? { mode: request.mode ?? mode } : {}) };
  if (mode === 'catalog') {
    if (count === 0) throw new SpecError([`${source}: no operation selected (check openapi.include and openapi.exclude); a catalog needs at least one operation`]);
    if (count > MAX_CATALOG_OPERATIONS) {
      throw new SpecError([`${source}: ${count} operations selected; a catalog holds at most ${MAX_CATALOG_OPERATIONS}: choose with openapi.include / openapi.exclude`]);
    }
    // call_operation writes only when an operation does: a catalog of reads is advertised read-only.
    const access = result.tools.some(({ tool }) => tool.access === 'write') ? 'write' : 'read';
    const catalog = catalogTools(result.title ?? 'the API', count, access).map((tool) => keep(tool, before.get(tool.name)));
    // A catalog's search matches the operations' tags too.
    const operations = result.tools.map(({ tool, operation }) => {
      const tags = operation.tags.slice(0, 50).map((tag) => tag.slice(0, 200));
      const entry = tags.length > 0 ? { ...tool, http: { ...tool.http, tags } } : tool;
      return keep(entry, previousOperations.get(tool.name) ?? before.get(tool.name));
    });
    const names = new Set(catalog.map((t) => String(t.name)));
    return {
      raw: { ...raw, backends: withHttpBackend(raw, own.length), tools: inPlace(tools, catalog), catalog: { operations }, openapi: recorded },
      result,
      mode,
      reason,
      added: catalog.filter((t) => !before.has(String(t.name))).map((t) => String(t.name)),
      removed: [...before.keys()].filter((name) => !names.has(name)),
      addedOperations: operations.map((op) => String(op.name)).filter((name) => !previousOperations.has(name)),
      removedOperations: [...previousOperations.keys()].filter((name) => !operations.some((op) => op.name === name)),
    };
  }
  const imported = result.tools.map(({ tool }) => keep(tool, before.get(tool.name) ?? previousOperations.get(tool.name)) as typeof tool);
  if (own.length + imported.length > MAX_TOOLS) {
    throw new SpecError([
      `${source}: ${imported.length} operations selected${own.length > 0 ? ` beside ${own.length} other tools` : ''}; a server holds at most ${MAX_TOOLS} tools: choose the operations the model needs with openapi.include / openapi.exclude (by tag, path glob or operation) in mcp-gen.json or --config, or serve them as a governed catalog (--mode catalog)`,
    ]);
  }
  const names = new Set(imported.map((t) => t.name));
  const { catalog: _dropped, ...rest } = raw;
  return {
    raw: { ...rest, backends: withHttpBackend(raw, own.length), tools: inPlace(tools, imported), openapi: recorded },
    result,
    mode,
    reason,
    added: imported.filter((t) => !before.has(t.name)).map((t) => t.name),
    removed: [...before.keys()].filter((name) => !names.has(name)),
    addedOperations: [],
    removedOperations: [...previousOperations.keys()],
  };
}

/** The spec's backends with the http backend the imported operations call. */
function withHttpBackend(raw: Record<string, unknown>, ownTools: number): Array<{ kind: string }> {
  const backends = (Array.isArray(raw.backends) ? raw.backends : undefined) as Array<{ kind: string }> | undefined;
  if (backends === undefined) return ownTools === 0 ? [{ kind: 'http' }] : [{ kind: 'sample' }, { kind: 'http' }];
  return backends.some((b) => b.kind === 'http') ? backends : [...backends, { kind: 'http' }];
}

/**
 * The lint of the imported tools: descriptions alike, names, descriptions short of a sentence.
 * Undescribed parameters are left out: the import's own notes name them, once per tool. In
 * catalog mode descriptions are compared within each tag (the operations a search returns
 * together), not across all of them: a pair test of 1,000 operations costs seconds.
 */
export function importLint(imported: OpenApiImport): LintReport {
  const asLint = ({ tool }: ImportResult['tools'][number]) => ({
    name: tool.name,
    title: tool.title ?? tool.name,
    description: tool.description ?? '',
    params: (tool.params ?? []).map((p) => ({ name: p.name, description: p.description })),
    source: 'mcp-gen.json',
  });
  const groups = new Map<string, ImportResult['tools']>();
  if (imported.mode === 'catalog') {
    for (const entry of imported.result.tools) {
      const key = entry.operation.tags[0] ?? '';
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
  } else groups.set('', imported.result.tools);
  const seen = new Set<string>();
  const findings: LintReport['findings'] = [];
  let tools = 0;
  for (const group of groups.values()) {
    const report = lintTools(group.map(asLint));
    tools += report.tools;
    for (const f of report.findings) {
      const key = `${f.tool}\0${f.rule}\0${f.message}`;
      if (f.rule === 'param-description' || seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
    }
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { tools, errors, warnings: findings.length - errors, findings };
}

export interface ImportPlan extends Respec {
  imported: OpenApiImport;
}

export async function planImportOpenApi(repo: RepoState, request: OpenApiRequest): Promise<ImportPlan> {
  let imported: OpenApiImport | undefined;
  const plan = await respec(repo, async () => {
    currentSpec(repo);
    imported = await withOpenApiTools(repo.rawSpec as Record<string, unknown>, request, repo.dir);
    return { raw: imported.raw };
  });
  const added = new Set(imported!.added);
  await addLockEntries(
    plan.changes,
    repo,
    'tools',
    plan.spec.tools.filter((tool) => added.has(tool.name)).map((tool) => [tool.name, toolLockEntry(tool)]),
  );
  // A catalog's new operations join the lock too; a changed or removed one keeps its entry, for the contract check.
  const addedOperations = new Set(imported!.addedOperations);
  await addLockEntries(
    plan.changes,
    repo,
    'operations',
    (plan.spec.catalog?.operations ?? []).filter((op) => addedOperations.has(op.name)).map((op) => [op.name, operationLockEntry(op)]),
  );
  return { ...plan, imported: imported! };
}
