import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { specJsonSchema, specJsonSchemaText } from '../../src/spec/json-schema.js';

describe('schema/mcp-gen.schema.json', () => {
  it('is up to date with the zod spec (run `npm run schema` if this fails)', async () => {
    const committed = await readFile(new URL('../../schema/mcp-gen.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(specJsonSchemaText());
  });

  it('is the schema as JSON, a short list of plain values on one line', () => {
    const text = specJsonSchemaText();
    expect(JSON.parse(text)).toEqual(specJsonSchema());
    expect(text).toContain('"enum": ["stdio", "http", "both"]');
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThan(4200);
  });

  it('describes the spec: enums, required fields and the tool name pattern', () => {
    const schema = specJsonSchema() as { properties: Record<string, any>; required: string[]; $defs: Record<string, any> };
    expect(schema.required).toEqual(['name', 'tools']);
    expect(schema.properties.transport.enum).toEqual(['stdio', 'http', 'both']);
    expect(schema.properties.tools.items).toEqual({ $ref: '#/$defs/tool' });
    expect(schema.properties.catalog.properties.operations.items).toEqual({ $ref: '#/$defs/tool' });
    const tool = schema.$defs.tool;
    expect(tool.properties.name.pattern).toBe('^[A-Za-z0-9_.-]{1,64}$');
    expect(tool.properties.access.enum).toEqual(['read', 'write']);
    expect(tool.additionalProperties).toBe(false);
  });
});
