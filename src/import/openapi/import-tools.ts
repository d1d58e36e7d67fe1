/**
 * An OpenAPI document and the user's curation of it (mcp-gen.json's `openapi` block) -> the
 * tools it makes: ordinary `tools` entries of the spec, each with an `http` binding that says
 * exactly which call its handler makes, so a repository re-renders from mcp-gen.json alone.
 * Pure: reads nothing, writes nothing; a bad selection or override is a SpecError naming it.
 */
import picomatch from 'picomatch';
import { SpecError } from '../../spec/issues.js';
import type { ApprovalMode, HttpBindingSpec, OpenApiImportSpec, OperationOverrideSpec, ParamSpec, ToolSpec } from '../../spec/project-spec.js';
import { listOperations, type ApiOperation } from './operations.js';
import { toolNameFor, uniqueName } from './names.js';
import { outputSchemaOf } from './output-schema.js';
import { objectShape, operationParams, type MappedParam } from './params.js';

export interface ImportOptions {
  /** Words a tool name may start with (the tool-description lint's verbs). */
  verbs: readonly string[];
  /** The approval a DELETE gets: `human` where the repo can grant it (http, with authentication), else `client`. */
  deleteApproval: Exclude<ApprovalMode, 'none'>;
}

export interface ImportedTool {
  tool: ToolSpec & { http: HttpBindingSpec };
  operation: ApiOperation;
}

export interface ImportResult {
  tools: ImportedTool[];
  /** What the user should look at: skipped operations, clipped names, undescribed parameters. */
  findings: string[];
  /** The API's base URL as the document gives it (servers[0], or Swagger 2.0's host and basePath). */
  serverUrl?: string;
  /** The document's info.title. */
  title?: string;
}

const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
/** The phrases the tool-description lint takes as saying when to use a tool (templates/base/scripts/lint-tools/rules.ts). */
const WHEN_CUES = /\b(use (this |it )?(when|to|for|if|after|before|instead)|when |whenever|if you|for (finding|looking|getting|checking|listing|creating|updating)|returns?|gives|lists?|fetch(es)?|finds?|creates?|updates?|changes?|reads?)\b/i;

export function importOpenApi(document: Record<string, unknown>, overlay: OpenApiImportSpec, options: ImportOptions): ImportResult {
  const operations = listOperations(document);
  const findings: string[] = [];
  checkOverlay(operations, overlay);
  const selected = operations.filter((op) => isSelected(op, overlay));
  const verbs = new Set(options.verbs);
  const taken = new Set<string>();
  const tools: ImportedTool[] = [];
  // Names first from overrides, so a derived name never takes one the user chose.
  const chosen = new Map<string, string>();
  for (const op of selected) {
    const name = overlay.overrides[op.key]?.name ?? overlay.overrides[`${op.method} ${op.path}`]?.name;
    if (name === undefined) continue;
    const other = [...chosen.entries()].find(([, n]) => n === name)?.[0];
    if (other) throw new SpecError([`openapi.overrides.${op.key}.name: "${name}" is also the name of ${other}`]);
    chosen.set(op.key, name);
    taken.add(name);
  }
  for (const op of selected) {
    if (op.skipped) {
      findings.push(`skipped ${label(op)}: ${op.skipped}`);
      continue;
    }
    const override: OperationOverrideSpec = { ...overlay.overrides[`${op.method} ${op.path}`], ...overlay.overrides[op.key] };
    let name = chosen.get(op.key);
    if (name === undefined) {
      const derived = toolNameFor(op, verbs);
      name = uniqueName(derived.name, `${op.method} ${op.path}`, taken);
      if (derived.clippedFrom) findings.push(`${name}: clipped from ${derived.clippedFrom} (${derived.clippedFrom.length} characters; at most 64); set openapi.overrides.${op.key}.name for a better one`);
      else if (name !== derived.name) findings.push(`${name}: ${derived.name} is taken by another operation; set openapi.overrides.${op.key}.name for a better one`);
      taken.add(name);
    }
    tools.push({ tool: toolFor(op, name, override, options, findings), operation: op });
  }
  const serverUrl = serverUrlOf(document);
  const info = document.info as { title?: unknown } | undefined;
  const title = typeof info?.title === 'string' && info.title.trim() ? info.title.trim().slice(0, 100) : undefined;
  return { tools, findings, ...(serverUrl ? { serverUrl } : {}), ...(title ? { title } : {}) };
}

function serverUrlOf(document: Record<string, unknown>): string | undefined {
  const servers = document.servers;
  if (Array.isArray(servers) && servers[0] && typeof (servers[0] as { url?: unknown }).url === 'string') return (servers[0] as { url: string }).url;
  if (typeof document.host === 'string') {
    const schemes = Array.isArray(document.schemes) ? (document.schemes as string[]) : ['https'];
    return `${schemes.includes('https') ? 'https' : (schemes[0] ?? 'https')}://${document.host}${typeof document.basePath === 'string' ? document.basePath : ''}`;
  }
  return undefined;
}

function label(op: ApiOperation): string {
  return op.operationId ? `${op.operationId} (${op.method} ${op.path})` : `${op.method} ${op.path}`;
}

function toolFor(op: ApiOperation, name: string, override: OperationOverrideSpec, options: ImportOptions, findings: string[]): ImportedTool['tool'] {
  const where = `openapi.overrides.${op.key}`;
  const read = op.method === 'GET' || op.method === 'HEAD';
  const access = override.access ?? (read ? 'read' : 'write');
  if (access === 'read' && !read) {
    throw new SpecError([`${where}.access: "read" is not allowed for ${op.method} ${op.path}; read tools only send GET and HEAD (the http backend refuses a read tool's other calls)`]);
  }
  const approval = override.approval ?? (op.method === 'DELETE' ? options.deleteApproval : 'none');
  if (access === 'read' && approval !== 'none') {
    throw new SpecError([`${where}.approval: "${approval}" is not allowed on a read tool; approval applies to write tools only`]);
  }
  let mapped = operationParams(op);
  const fixed: HttpBindingSpec['fixed'] = [];
  for (const [wireName, value] of Object.entries(override.hidden ?? {})) {
    const hidden = mapped.filter((p) => p.wireName === wireName);
    if (hidden.length === 0) {
      throw new SpecError([`${where}.hidden: "${wireName}" is not a parameter of ${label(op)} (it has ${mapped.map((p) => p.wireName).join(', ') || 'none'})`]);
    }
    for (const p of hidden) fixed.push({ in: p.in, name: p.wireName, value });
    mapped = mapped.filter((p) => p.wireName !== wireName);
  }
  const params = mapped.map((p) => p.spec);
  const undescribed = mapped.filter((p) => !p.spec.description).map((p) => p.spec.name);
  if (undescribed.length > 0) {
    findings.push(`${name}: ${undescribed.length === 1 ? 'parameter' : 'parameters'} ${undescribed.join(', ')} ${undescribed.length === 1 ? 'has' : 'have'} no description in the document; the model has only the name to go on`);
  }
  for (const p of mapped) {
    if (/tenant/i.test(p.spec.name)) findings.push(`${name}: parameter ${p.spec.name} names a tenant; the tenant comes from the credential: hide it (${where}.hidden) with a fixed value`);
  }
  const scopes = override.scopes ?? op.scopes?.filter((scope) => SCOPE.test(scope));
  const binding: HttpBindingSpec = {
    method: op.method,
    path: op.path,
    params: Object.fromEntries(mapped.map((p) => [p.spec.name, { in: p.in, name: p.wireName, ...(p.explode ? { explode: true } : {}) }])),
    fixed,
    ...(op.body?.encoding === 'form' ? { encoding: 'form' as const } : {}),
    ...(op.operationId ? { operationId: op.operationId } : {}),
    ...(responseText(op) ? { response: responseText(op) } : {}),
  };
  // `output: "untyped"`: the document misdescribes the answer, which is then neither typed nor checked.
  const output = override.output === 'untyped' ? undefined : outputSchemaOf(op.answers ?? []);
  if (output) binding.output = output;
  const title = override.title ?? titleOf(op);
  const tool: ImportedTool['tool'] = {
    name,
    ...(title ? { title } : {}),
    description: override.description ?? descriptionOf(op, access, params),
    access,
    version: '1.0.0',
    backend: 'http',
    params,
    approval,
    http: binding,
  };
  if (scopes && scopes.length > 0) tool.scopes = scopes;
  if (override.rateLimit) tool.rateLimit = override.rateLimit;
  return tool;
}

function titleOf(op: ApiOperation): string | undefined {
  const summary = op.summary?.replace(/\s+/g, ' ').replace(/\.$/, '');
  return summary && summary.length <= 200 ? summary : undefined;
}

/** A paragraph: the summary and description, what the parameters mean, and what it does. */
function descriptionOf(op: ApiOperation, access: 'read' | 'write', params: readonly ParamSpec[]): string {
  const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
  const parts: string[] = [];
  const summary = op.summary?.replace(/\s+/g, ' ');
  const description = op.description?.replace(/\s+/g, ' ');
  if (summary && !(description && description.toLowerCase().startsWith(summary.toLowerCase()))) parts.push(sentence(summary));
  if (description) parts.push(sentence(description));
  if (parts.length === 0) parts.push(`Calls ${op.method} ${op.path} on the API.`);
  const text = parts.join(' ');
  if (!WHEN_CUES.test(text)) parts.push(access === 'read' ? "Returns the API's answer; changes nothing." : "Changes data in the API and returns its answer.");
  if (op.deprecated) parts.push('Deprecated by the API: prefer another tool when one fits.');
  const described = params.filter((p) => p.description);
  if (described.length > 0) {
    parts.push(`Parameters: ${described.map((p) => `${p.name}${p.required ? '' : ' (optional)'}: ${p.description.replace(/[.;]+$/, '')}`).join('; ')}.`);
  }
  const paragraph = parts.join(' ');
  return paragraph.length <= 4000 ? paragraph : `${paragraph.slice(0, 3999).trimEnd()}…`;
}

/** What a 2xx answer holds: its description, and the top-level fields of an object answer. */
function responseText(op: ApiOperation): string | undefined {
  const response = op.response;
  if (!response) return undefined;
  const parts: string[] = [];
  if (response.description) parts.push(response.description.replace(/\s+/g, ' ').replace(/\.$/, ''));
  const schema = response.schema;
  if (schema) {
    const items = schema.type === 'array' && schema.items && typeof schema.items === 'object' ? (schema.items as Record<string, unknown>) : undefined;
    const shape = objectShape(items ?? schema);
    const fields = shape ? Object.keys(shape.properties).slice(0, 20) : [];
    if (fields.length > 0) parts.push(`${items ? 'a list of objects with' : 'an object with'} ${fields.join(', ')}`);
  }
  const text = parts.join(': ');
  return text ? (text.length <= 2000 ? text : `${text.slice(0, 1999)}…`) : undefined;
}

/** Every operation the overlay names exists: a misspelt one would silently select nothing. */
function checkOverlay(operations: readonly ApiOperation[], overlay: OpenApiImportSpec): void {
  const keys = new Set(operations.flatMap((op) => [op.key, `${op.method} ${op.path}`]));
  const problems: string[] = [];
  for (const field of ['include', 'exclude'] as const) {
    (overlay[field]?.operations ?? []).forEach((key, i) => {
      if (!keys.has(key)) problems.push(`openapi.${field}.operations[${i}]: "${key}" is not an operation of the document (an operationId, or "METHOD /path")`);
    });
  }
  for (const key of Object.keys(overlay.overrides)) {
    if (!keys.has(key)) problems.push(`openapi.overrides: "${key}" is not an operation of the document (an operationId, or "METHOD /path")`);
  }
  if (problems.length > 0) throw new SpecError(problems);
}

type Selection = NonNullable<OpenApiImportSpec['include']>;

function matches(op: ApiOperation, selection: Selection): boolean {
  if (selection.tags?.some((tag) => op.tags.includes(tag))) return true;
  if (selection.paths?.some((glob) => picomatch.isMatch(op.path, glob, { dot: true }))) return true;
  return selection.operations?.some((key) => key === op.key || key === `${op.method} ${op.path}`) ?? false;
}

function isSelected(op: ApiOperation, overlay: OpenApiImportSpec): boolean {
  if (overlay.include && !matches(op, overlay.include)) return false;
  return !(overlay.exclude && matches(op, overlay.exclude));
}
