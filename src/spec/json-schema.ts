/**
 * JSON Schema of `mcp-gen.json`, for editors and for other tools. Built with zod's own
 * converter: zod-to-json-schema is deprecated and returns an empty schema for zod 4.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ProjectSpec } from './project-spec.js';

export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ProjectSpec, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  shareToolDefinition(schema);
  return {
    $schema: schema.$schema,
    title: 'mcp-gen.json',
    description: 'How a generated MCP server repository was made: the answers given to create-mcp-server.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/**
 * A catalog's operations are tools: zod inlines the tool schema at both places, which would
 * double the file every generated repo carries. One `$defs.tool` serves both.
 */
function shareToolDefinition(schema: Record<string, unknown>): void {
  const properties = schema.properties as Record<string, any>;
  const tool = properties.tools.items;
  const operations = properties.catalog.properties.operations;
  if (JSON.stringify(operations.items) !== JSON.stringify(tool)) {
    throw new Error('catalog.operations no longer holds tools: update shareToolDefinition');
  }
  const ref = { $ref: '#/$defs/tool' };
  properties.tools.items = ref;
  operations.items = ref;
  schema.$defs = { ...(schema.$defs as object | undefined), tool };
}

export function specJsonSchemaText(): string {
  return `${pretty(specJsonSchema(), '')}\n`;
}

/**
 * JSON.stringify's two-space layout, except that a short list of plain values (an enum, a
 * `required` list, a type union) stays on one line: a third of the lines were one enum value
 * each, and every generated repo carries this file.
 */
function pretty(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => item === null || typeof item !== 'object')) {
      const flat = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
      if (inner.length + flat.length <= 100) return flat;
    }
    return `[\n${value.map((item) => inner + pretty(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${pretty(item, inner)}`).join(',\n')}\n${indent}}`;
}

let built: string | undefined;

/**
 * specJsonSchemaText as the build wrote it beside this module (scripts/write-spec-schema.mjs),
 * for the state file every command renders: converting the zod spec took 20-30 ms of each
 * command. From source, where there is no such file, it is converted.
 */
export function builtSpecJsonSchemaText(): string {
  if (built === undefined) {
    try {
      built = readFileSync(new URL('./mcp-gen.schema.json', import.meta.url), 'utf8');
    } catch {
      built = specJsonSchemaText();
    }
  }
  return built;
}
