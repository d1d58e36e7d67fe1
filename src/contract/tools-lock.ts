/**
 * contracts/tools.lock.json: the published shape of every tool (and resource and prompt), as the
 * generator knows it from the spec. Output schemas live in the tool files, so the repo's own `npm run contract --
 * --update` records them (create-mcp-server runs it after installing). The input schema is what
 * the SDK lists for the tool: zod's Standard JSON Schema for input, draft 2020-12, with
 * `type: "object"` at the root and without `$schema`.
 */
import { callParams, type CompleteProjectSpec } from '../spec/tool-defaults.js';
import { inputZodSchema } from '../spec/param-zod.js';

export interface ToolLockEntry {
  version: string;
  title: string;
  description: string;
  access: 'read' | 'write';
  inputSchema: Record<string, unknown>;
}

export const LOCK_FILE = 'contracts/tools.lock.json';

/** A resource's and a prompt's entries: what the repo's contract-doc.ts records for them. */
export interface ResourceLockEntry {
  version: string;
  title: string;
  description: string;
  uri?: string;
  uriTemplate?: string;
  mimeType: string;
}

export interface PromptLockEntry {
  version: string;
  title: string;
  description: string;
  arguments: Array<{ name: string; description?: string; required: boolean }>;
}

/**
 * An operation of a governed catalog (`catalog.operations`): call_operation routes to it, so the
 * contract check classifies it as it does a tool, and by its approval too.
 */
export interface OperationLockEntry {
  version: string;
  title: string;
  description: string;
  access: 'read' | 'write';
  approval: 'none' | 'client' | 'human';
  inputSchema: Record<string, unknown>;
  /** The documented answer's schema (`http.output`, as the import reduced it); absent: untyped. */
  output?: Record<string, unknown>;
}

export interface ToolsLock {
  tools: Record<string, ToolLockEntry>;
  resources?: Record<string, ResourceLockEntry>;
  prompts?: Record<string, PromptLockEntry>;
  operations?: Record<string, OperationLockEntry>;
}

export function toolsLock(spec: CompleteProjectSpec): ToolsLock {
  const tools: Record<string, ToolLockEntry> = {};
  for (const tool of [...spec.tools].sort((a, b) => (a.name < b.name ? -1 : 1))) tools[tool.name] = toolLockEntry(tool);
  return {
    tools,
    ...(spec.resources.length > 0 ? { resources: Object.fromEntries(spec.resources.map((r) => [r.name, resourceLockEntry(r)])) } : {}),
    ...(spec.prompts.length > 0 ? { prompts: Object.fromEntries(spec.prompts.map((p) => [p.name, promptLockEntry(p)])) } : {}),
    ...(spec.catalog && spec.catalog.operations.length > 0
      ? { operations: Object.fromEntries(spec.catalog.operations.map((op) => [op.name, operationLockEntry(op)])) }
      : {}),
  };
}

/**
 * One catalog operation's lock entry: its input schema is the one call_operation checks its arguments
 * against, its output the answer's schema call_operation checks the API's answer against.
 */
export function operationLockEntry(operation: CompleteProjectSpec['tools'][number]): OperationLockEntry {
  return {
    version: operation.version,
    title: operation.title,
    description: operation.description,
    access: operation.access,
    approval: operation.approval,
    inputSchema: inputSchemaOf(callParams(operation)),
    ...(operation.http?.output ? { output: operation.http.output } : {}),
  };
}

export function resourceLockEntry(resource: CompleteProjectSpec['resources'][number]): ResourceLockEntry {
  return {
    version: resource.version,
    title: resource.title,
    description: resource.description,
    ...(resource.uri !== undefined ? { uri: resource.uri } : { uriTemplate: resource.uriTemplate! }),
    mimeType: resource.mimeType,
  };
}

export function promptLockEntry(prompt: CompleteProjectSpec['prompts'][number]): PromptLockEntry {
  return {
    version: prompt.version,
    title: prompt.title,
    description: prompt.description,
    arguments: prompt.arguments.map((a) => ({ name: a.name, ...(a.description ? { description: a.description } : {}), required: a.required })),
  };
}

/** One tool's lock entry, as the generator first writes it. */
export function toolLockEntry(tool: CompleteProjectSpec['tools'][number]): ToolLockEntry {
  return {
    version: tool.version,
    title: tool.title,
    description: tool.description,
    access: tool.access,
    inputSchema: inputSchemaOf(callParams(tool)),
  };
}

/**
 * Input schemas by the parameters they are made from: tools often share theirs (none, or the
 * same few), and building and converting a zod schema costs ~0.1 ms a tool. Kept as JSON text,
 * so every entry is an object of its own.
 */
const inputSchemas = new Map<string, string>();

function inputSchemaOf(params: ReturnType<typeof callParams>): Record<string, unknown> {
  const key = JSON.stringify(params);
  let text = inputSchemas.get(key);
  if (text === undefined) {
    text = JSON.stringify(listedInputSchema(inputZodSchema(params)));
    inputSchemas.set(key, text);
  }
  return JSON.parse(text) as Record<string, unknown>;
}

function listedInputSchema(schema: ReturnType<typeof inputZodSchema>): Record<string, unknown> {
  const json = schema['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema: _ignored, ...rest } = json;
  return { type: 'object', ...rest };
}

/** The lock as committed: each kind sorted by name (resources, prompts and operations only when there are some), two-space JSON. */
export function lockText(lock: ToolsLock): string {
  const sorted = <T>(entries: Record<string, T>) => Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)));
  const doc = {
    tools: sorted(lock.tools),
    ...(lock.resources && Object.keys(lock.resources).length > 0 ? { resources: sorted(lock.resources) } : {}),
    ...(lock.prompts && Object.keys(lock.prompts).length > 0 ? { prompts: sorted(lock.prompts) } : {}),
    ...(lock.operations && Object.keys(lock.operations).length > 0 ? { operations: sorted(lock.operations) } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
