/**
 * JSON Schema of `mcp-gen.json`, for editors and for other tools. Built with zod's own
 * converter: zod-to-json-schema is deprecated and returns an empty schema for zod 4.
 */
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
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
