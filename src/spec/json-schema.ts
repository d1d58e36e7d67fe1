/**
 * JSON Schema of `mcp-gen.json`, for editors and for other tools. Built with zod's own
 * converter: zod-to-json-schema is deprecated and returns an empty schema for zod 4.
 */
import { z } from 'zod';
import { ProjectSpec } from './project-spec.js';

export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ProjectSpec, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'mcp-gen.json',
    description: 'How a generated MCP server repository was made: the answers given to create-mcp-server.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
