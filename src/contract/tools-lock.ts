/**
 * contracts/tools.lock.json: the published shape of every tool, as the generator knows it from
 * the spec. Output schemas live in the tool files, so the repo's own `npm run contract --
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

export interface ToolsLock {
  tools: Record<string, ToolLockEntry>;
}

export function toolsLock(spec: CompleteProjectSpec): ToolsLock {
  const tools: Record<string, ToolLockEntry> = {};
  for (const tool of [...spec.tools].sort((a, b) => (a.name < b.name ? -1 : 1))) tools[tool.name] = toolLockEntry(tool);
  return { tools };
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

/** The lock as committed: tools sorted by name, two-space JSON. */
export function lockText(lock: ToolsLock): string {
  const tools = Object.fromEntries(Object.entries(lock.tools).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ tools }, null, 2)}\n`;
}
