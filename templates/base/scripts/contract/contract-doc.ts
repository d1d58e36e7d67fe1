/**
 * The tools' contract as code defines it now, and as contracts/tools.lock.json records it.
 * Schemas are what the SDK lists on tools/list: zod's Standard JSON Schema, draft 2020-12,
 * without the `$schema` dialect marker.
 */
import { readFileSync, writeFileSync } from 'node:fs';

import type { AnyTool } from '../../src/tool-model/define-tool.js';
import type { ContractDoc, JsonSchema, ToolContract } from './classify.js';

export const LOCK_URL = new URL('../../contracts/tools.lock.json', import.meta.url);

export function currentContract(tools: readonly AnyTool[]): ContractDoc {
  const entries = tools.map((tool): [string, ToolContract] => [
    tool.name,
    {
      version: tool.version,
      title: tool.title,
      description: tool.description,
      access: tool.access,
      inputSchema: { type: 'object', ...withoutDialect(tool.inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' })) },
      outputSchema: withoutDialect(tool.outputSchema['~standard'].jsonSchema.output({ target: 'draft-2020-12' })),
      ...(tool.deprecated ? { deprecated: { ...tool.deprecated } } : {}),
    },
  ]);
  return { tools: Object.fromEntries(entries) };
}

export function readLock(url: URL = LOCK_URL): ContractDoc {
  return JSON.parse(readFileSync(url, 'utf8')) as ContractDoc;
}

export function writeLock(doc: ContractDoc, url: URL = LOCK_URL): void {
  writeFileSync(url, lockText(doc));
}

/** Tools sorted by name, two-space JSON: the same bytes create-mcp-server writes. */
export function lockText(doc: ContractDoc): string {
  const tools = Object.fromEntries(Object.entries(doc.tools).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ tools }, null, 2)}\n`;
}

function withoutDialect(schema: Record<string, unknown>): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
