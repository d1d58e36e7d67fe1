/**
 * Semver classification of the contract: compares the committed lock ("before") with the
 * current tools, resources, prompts and routed operations ("after"; classify-items.ts for resources and prompts), classifies every difference as breaking / minor / patch, and checks
 * that each tool's version moved at least as far as its changes demand. Agents depend on these
 * schemas, so when in doubt a change is breaking. Pure: no disk, no clock unless `today` is omitted.
 */
import { compareSchemas, compareText, type ChangeClass, type JsonSchema } from './classify-schema.js';
import { classifyPrompt, classifyResource, type PromptContract, type ResourceContract } from './classify-items.js';

export type { ChangeClass, JsonSchema } from './classify-schema.js';
export type { PromptArgumentContract, PromptContract, ResourceContract } from './classify-items.js';

export interface ToolContract {
  version: string;
  title?: string;
  description?: string;
  access: 'read' | 'write';
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  deprecated?: { replacement?: string; removeAfter?: string /* YYYY-MM-DD */ };
}

/**
 * An operation of an API catalog: a tool reached through another (call_operation's `route`),
 * classified as a tool is, and by who must agree before a call of it runs.
 */
export interface OperationContract {
  version: string;
  title?: string;
  description?: string;
  access: 'read' | 'write';
  approval: 'none' | 'client' | 'human';
  inputSchema: JsonSchema;
  /** The documented answer's schema (what call_operation checks the API's answer against); absent: untyped. */
  output?: JsonSchema;
}

export interface ContractDoc {
  tools: Record<string, ToolContract>;
  /** Present when the server serves resources (prompts): one entry each, by name. */
  resources?: Record<string, ResourceContract>;
  prompts?: Record<string, PromptContract>;
  /** Present when a tool routes calls to others (an API catalog's operations): one entry each, by name. */
  operations?: Record<string, OperationContract>;
}

export interface Finding {
  /** The tool's name (or the resource's, the prompt's: they share one namespace). */
  tool: string;
  class: ChangeClass;
  /** Where the change is: "tool", "access", "input.properties.limit", "output.properties.items.items"... */
  path: string;
  /** One sentence: `search_customers: parameter "limit" became required (breaking)`. */
  message: string;
}

export interface Violation {
  tool: string;
  /** The versions compared; absent for a removed tool's `to`. */
  from?: string;
  to?: string;
  /** The highest class of the tool's findings, when that is what the version fails. */
  required?: ChangeClass;
  message: string;
}

const RANK: Record<ChangeClass, number> = { patch: 1, minor: 2, breaking: 3 };

export function classifyChanges(before: ContractDoc, after: ContractDoc, options: { today?: string } = {}): Finding[] {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const findings: Finding[] = [];
  const add = (tool: string, cls: ChangeClass, path: string, sentence: string) =>
    findings.push({ tool, class: cls, path, message: `${tool}: ${sentence} (${cls})` });

  for (const name of toolNames(before, after)) {
    const old = before.tools[name];
    const now = after.tools[name];
    if (!old) { add(name, 'minor', 'tool', 'new tool'); continue; }
    if (!now) { add(name, 'breaking', 'tool', removalSentence(old, after, today)); continue; }

    classifyCallable(old, now, (cls, path, sentence) => add(name, cls, path, sentence));
    if (!old.deprecated && now.deprecated) add(name, 'minor', 'deprecated', deprecationSentence(now.deprecated));
    else if (old.deprecated && !now.deprecated) add(name, 'patch', 'deprecated', 'tool is no longer deprecated');
    else if (JSON.stringify(old.deprecated) !== JSON.stringify(now.deprecated)) add(name, 'patch', 'deprecated', 'deprecation details changed');

    classifyOutput(old.outputSchema, now.outputSchema, (cls, path, sentence) => add(name, cls, path, sentence));
  }
  for (const name of keysOf(before.resources, after.resources)) {
    classifyResource(before.resources?.[name], after.resources?.[name], (cls, path, sentence) => add(name, cls, path, sentence));
  }
  for (const name of keysOf(before.prompts, after.prompts)) {
    classifyPrompt(before.prompts?.[name], after.prompts?.[name], (cls, path, sentence) => add(name, cls, path, sentence));
  }
  for (const name of keysOf(before.operations, after.operations)) {
    const old = before.operations?.[name];
    const now = after.operations?.[name];
    if (!old) { add(name, 'minor', 'operation', 'new operation'); continue; }
    if (!now) { add(name, 'breaking', 'operation', 'operation was removed: clients calling it would get "not_found"'); continue; }
    classifyCallable(old, now, (cls, path, sentence) => add(name, cls, path, sentence));
    if (old.approval !== now.approval) {
      if (APPROVAL_RANK[now.approval] > APPROVAL_RANK[old.approval]) {
        add(name, 'breaking', 'approval', `approval changed from ${old.approval} to ${now.approval}: calls that ran at once would now wait for a confirmation or an approver`);
      } else add(name, 'minor', 'approval', `approval changed from ${old.approval} to ${now.approval}`);
    }
    classifyOutput(old.output, now.output, (cls, path, sentence) => add(name, cls, path, sentence));
  }
  return findings.sort(
    (x, y) => compareText(x.tool, y.tool) || compareText(x.path, y.path) || RANK[y.class] - RANK[x.class] || compareText(x.message, y.message),
  );
}

/** A tool's output schema, an operation's answer: a removed field or a changed type breaks clients reading it. */
function classifyOutput(old: JsonSchema | undefined, now: JsonSchema | undefined, add: (cls: ChangeClass, path: string, sentence: string) => void): void {
  if (old && !now) add('breaking', 'output', 'output schema was removed: clients can no longer rely on the shape of results');
  else if (!old && now) add('minor', 'output', 'output schema was added');
  else if (old && now) for (const change of compareSchemas(old, now, 'output')) add(change.class, change.path, change.message);
}

/** Who must agree before a call runs, from none to an approver other than the caller. */
const APPROVAL_RANK: Record<OperationContract['approval'], number> = { none: 0, client: 1, human: 2 };

/** What tools and operations share: access, title, description and the input schema. */
function classifyCallable(
  old: Pick<ToolContract, 'access' | 'title' | 'description' | 'inputSchema'>,
  now: typeof old,
  add: (cls: ChangeClass, path: string, sentence: string) => void,
): void {
  if (old.access !== now.access) {
    if (now.access === 'write') add('breaking', 'access', 'access changed from read to write: a read-only client would now change data');
    else add('minor', 'access', 'access changed from write to read');
  }
  if ((old.title ?? '') !== (now.title ?? '')) add('patch', 'title', 'title changed');
  if ((old.description ?? '') !== (now.description ?? '')) add('patch', 'description', 'description changed');
  for (const change of compareSchemas(old.inputSchema, now.inputSchema, 'input')) add(change.class, change.path, change.message);
}

function removalSentence(old: ToolContract, after: ContractDoc, today: string): string {
  const replacement = old.deprecated?.replacement;
  const useInstead = replacement && after.tools[replacement] ? `; clients should call "${replacement}" instead` : '';
  if (!old.deprecated) return `tool was removed without being deprecated first${useInstead}`;
  const date = old.deprecated.removeAfter;
  if (!date) return `deprecated tool was removed, but no removal date was ever announced${useInstead}`;
  if (today < date) return `deprecated tool was removed before its announced removal date ${date}${useInstead}`;
  return `deprecated tool was removed; its deprecation window passed on ${date}, but a removal still needs a major version${useInstead}`;
}

function deprecationSentence(deprecated: NonNullable<ToolContract['deprecated']>): string {
  const instead = deprecated.replacement ? `; use "${deprecated.replacement}" instead` : '';
  const until = deprecated.removeAfter ? `; it may be removed after ${deprecated.removeAfter}` : '';
  return `tool was marked deprecated${instead}${until}`;
}

/** Per tool, the highest class among its findings (tools without findings are absent). */
export function requiredBump(findings: readonly Finding[]): Record<string, ChangeClass> {
  const bump: Record<string, ChangeClass> = {};
  for (const finding of findings) {
    const current = bump[finding.tool];
    if (!current || RANK[finding.class] > RANK[current]) bump[finding.tool] = finding.class;
  }
  return bump;
}

export function checkVersions(before: ContractDoc, after: ContractDoc, findings: readonly Finding[]): Violation[] {
  const needed = requiredBump(findings);
  const violations: Violation[] = [];
  const was = versions(before);
  const is = versions(after);
  for (const name of [...new Set([...was.keys(), ...is.keys()])].sort(compareText)) {
    const old = was.get(name);
    const now = is.get(name);
    if (!now) {
      violations.push({
        tool: name, from: old?.version, required: 'breaking',
        message: `${name}: ${old?.kind ?? 'tool'} was removed, which is a breaking change for the server as a whole: release it as a new major version of the server`,
      });
      continue;
    }
    const to = parseSemver(now.version);
    if (!to) { violations.push({ tool: name, to: now.version, message: `${name}: version "${now.version}" is not a semantic version like 1.0.0` }); continue; }
    if (!old) continue; // a new tool may start at any version
    const from = parseSemver(old.version);
    if (!from) continue; // nothing to compare against; the lock was hand-edited
    const base = { tool: name, from: old.version, to: now.version };
    const order = compareSemver(to, from);
    if (order < 0) { violations.push({ ...base, message: `${name}: version went down from ${old.version} to ${now.version}` }); continue; }
    const cls = needed[name];
    if (!cls) continue;
    const need = cls === 'breaking' ? (from.major === 0 ? 2 : 3) : RANK[cls];
    const got = to.major > from.major ? 3 : to.major < from.major ? 0 : to.minor > from.minor ? 2 : to.minor < from.minor ? 0 : order > 0 ? 1 : 0;
    if (got >= need) continue;
    const kind = need === 3 ? 'a major' : need === 2 ? 'at least a minor' : 'at least a patch';
    const zero = cls === 'breaking' && from.major === 0 ? ' (0.x versions break on a minor)' : '';
    const next = need === 3 ? `${from.major + 1}.0.0` : need === 2 ? `${from.major}.${from.minor + 1}.0` : `${from.major}.${from.minor}.${from.patch + 1}`;
    const example = findings.find((f) => f.tool === name && f.class === cls);
    const eg = example ? ` (e.g. ${example.message.slice(name.length + 2).replace(/ \((breaking|minor|patch)\)$/, '')})` : '';
    const moved = order === 0 ? `the version is still ${now.version}` : `the version only went from ${old.version} to ${now.version}`;
    violations.push({
      ...base, required: cls,
      message: `${name}: ${cls} changes${eg} need ${kind} version bump${zero}, to ${next} or later, but ${moved}`,
    });
  }
  return violations;
}

interface Semver { major: number; minor: number; patch: number; pre: string[] }

function parseSemver(text: string): Semver | undefined {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split('.') : [] };
}

/** Semver precedence: core numbers, then a pre-release sorts before its release. */
function compareSemver(x: Semver, y: Semver): number {
  const core = x.major - y.major || x.minor - y.minor || x.patch - y.patch;
  if (core !== 0) return Math.sign(core);
  if (x.pre.length === 0 || y.pre.length === 0) return Math.sign(y.pre.length - x.pre.length);
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const a = x.pre[i]!;
    const b = y.pre[i]!;
    if (a === b) continue;
    const an = /^\d+$/.test(a);
    const bn = /^\d+$/.test(b);
    if (an && bn) return Math.sign(Number(a) - Number(b));
    if (an !== bn) return an ? -1 : 1;
    return compareText(a, b);
  }
  return Math.sign(x.pre.length - y.pre.length);
}

/** Every item's version and kind, by name. */
function versions(doc: ContractDoc): Map<string, { version: string; kind: 'tool' | 'resource' | 'prompt' | 'operation' }> {
  const all = new Map<string, { version: string; kind: 'tool' | 'resource' | 'prompt' | 'operation' }>();
  for (const [name, tool] of Object.entries(doc.tools)) all.set(name, { version: tool.version, kind: 'tool' });
  for (const [name, resource] of Object.entries(doc.resources ?? {})) all.set(name, { version: resource.version, kind: 'resource' });
  for (const [name, prompt] of Object.entries(doc.prompts ?? {})) all.set(name, { version: prompt.version, kind: 'prompt' });
  for (const [name, operation] of Object.entries(doc.operations ?? {})) all.set(name, { version: operation.version, kind: 'operation' });
  return all;
}

function keysOf(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): string[] {
  return [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort(compareText);
}

function toolNames(before: ContractDoc, after: ContractDoc): string[] {
  return [...new Set([...Object.keys(before.tools), ...Object.keys(after.tools)])].sort(compareText);
}
