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
import { MAX_TOOLS, OpenApiImportSpec } from '../spec/project-spec.js';
import { isUrl, loadOpenApiDocument } from '../import/openapi/load-document.js';
import { importOpenApi, type ImportResult } from '../import/openapi/import-tools.js';
import { COMMON_VERBS, lintTools, type LintReport } from '../lint/tool-rules.js';
import { toolLockEntry } from '../contract/tools-lock.js';
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
}

export interface OpenApiImport {
  /** The raw spec with the imported tools and the `openapi` block. */
  raw: Record<string, unknown>;
  result: ImportResult;
  /** Imported tool names the spec did not have before, and those it no longer has. */
  added: string[];
  removed: string[];
}

type RawTool = Record<string, unknown> & { name?: unknown; http?: unknown };

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
  const parsed = OpenApiImportSpec.safeParse({ ...previous, source });
  if (!parsed.success) throw new SpecError(describeIssues(parsed.error.issues, { ...previous, source }, (path) => label(['openapi', ...path])));
  const overlay = parsed.data;

  const { document } = await loadOpenApiDocument(location, { baseDir: request.cwd, allowExternal: request.allowExternal });
  const transport = raw.transport ?? 'http';
  const auth = raw.auth ?? 'api-key';
  const result = importOpenApi(document, overlay, {
    verbs: COMMON_VERBS,
    deleteApproval: transport !== 'stdio' && auth !== 'none' ? 'human' : 'client',
  });

  const tools = (Array.isArray(raw.tools) ? raw.tools : []) as RawTool[];
  const before = new Map(tools.filter((t) => t.http !== undefined).map((t) => [String(t.name), t]));
  const own = tools.filter((t) => t.http === undefined);
  const imported = result.tools.map(({ tool }) => {
    // What the user set on the entry itself and the document does not say: kept across imports.
    const kept = before.get(tool.name) ?? {};
    const carried = Object.fromEntries(['version', 'cache', 'maxResponseTokens'].filter((k) => kept[k] !== undefined).map((k) => [k, kept[k]]));
    return { ...tool, ...carried };
  });
  if (own.length + imported.length === 0) {
    throw new SpecError([`${source}: no operation selected (check openapi.include and openapi.exclude); a server needs at least one tool`]);
  }
  if (own.length + imported.length > MAX_TOOLS) {
    throw new SpecError([
      `${source}: ${imported.length} operations selected${own.length > 0 ? ` beside ${own.length} other tools` : ''}; a server holds at most ${MAX_TOOLS} tools: choose the operations the model needs with openapi.include / openapi.exclude (by tag, path glob or operation) in mcp-gen.json or --config`,
    ]);
  }
  const backends = (Array.isArray(raw.backends) ? raw.backends : undefined) as Array<{ kind: string }> | undefined;
  const withHttp = backends === undefined ? (own.length === 0 ? [{ kind: 'http' }] : [{ kind: 'sample' }, { kind: 'http' }]) : backends.some((b) => b.kind === 'http') ? backends : [...backends, { kind: 'http' }];
  const names = new Set(imported.map((t) => t.name));
  return {
    raw: { ...raw, backends: withHttp, tools: [...own, ...imported], openapi: { ...previous, source } },
    result,
    added: imported.filter((t) => !before.has(t.name)).map((t) => t.name),
    removed: [...before.keys()].filter((name) => !names.has(name)),
  };
}

/**
 * The lint of the imported tools: descriptions alike, names, descriptions short of a sentence.
 * Undescribed parameters are left out: the import's own notes name them, once per tool.
 */
export function importLint(imported: OpenApiImport): LintReport {
  const report = lintTools(
    imported.result.tools.map(({ tool }) => ({
      name: tool.name,
      title: tool.title ?? tool.name,
      description: tool.description ?? '',
      params: (tool.params ?? []).map((p) => ({ name: p.name, description: p.description })),
      source: 'mcp-gen.json',
    })),
  );
  const findings = report.findings.filter((f) => f.rule !== 'param-description');
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { tools: report.tools, errors, warnings: findings.length - errors, findings };
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
  return { ...plan, imported: imported! };
}
