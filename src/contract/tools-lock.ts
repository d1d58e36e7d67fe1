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
    inputSchema: listedInputSchema(inputZodSchema(callParams(tool))),
  };
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
