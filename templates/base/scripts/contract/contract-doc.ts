/**
 * The contract as code defines it now (tools, and the resources and prompts beside them), and as
 * contracts/tools.lock.json records it.
 * Schemas are what the SDK lists on tools/list: zod's Standard JSON Schema, draft 2020-12,
 * without the `$schema` dialect marker.
 */
import { readFileSync, writeFileSync } from 'node:fs';

import type { Catalog } from '../../src/server.js';
import type { AnyPrompt } from '../../src/tool-model/define-prompt.js';
import type { AnyResource } from '../../src/tool-model/define-resource.js';
import type { ContractDoc, JsonSchema, PromptContract, ResourceContract, ToolContract } from './classify.js';

export const LOCK_URL = new URL('../../contracts/tools.lock.json', import.meta.url);

export function currentContract({ tools, resources, prompts }: Catalog): ContractDoc {
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
  return {
    tools: Object.fromEntries(entries),
    ...(resources.length > 0 ? { resources: Object.fromEntries(resources.map((r) => [r.name, resourceContract(r)])) } : {}),
    ...(prompts.length > 0 ? { prompts: Object.fromEntries(prompts.map((p) => [p.name, promptContract(p)])) } : {}),
  };
}

function resourceContract(resource: AnyResource): ResourceContract {
  return {
    version: resource.version,
    title: resource.title,
    description: resource.description,
    ...(resource.uri !== undefined ? { uri: resource.uri } : { uriTemplate: resource.uriTemplate! }),
    mimeType: resource.mimeType,
    ...(resource.deprecated ? { deprecated: { ...resource.deprecated } } : {}),
  };
}

/** A prompt's arguments as prompts/list shows them: name, description, required. */
function promptContract(prompt: AnyPrompt): PromptContract {
  const schema = prompt.arguments['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) as { properties?: Record<string, { description?: string }>; required?: string[] };
  const required = new Set(schema.required ?? []);
  return {
    version: prompt.version,
    title: prompt.title,
    description: prompt.description,
    arguments: Object.entries(schema.properties ?? {}).map(([name, property]) => ({
      name,
      ...(property.description ? { description: property.description } : {}),
      required: required.has(name),
    })),
    ...(prompt.deprecated ? { deprecated: { ...prompt.deprecated } } : {}),
  };
}

export function readLock(url: URL = LOCK_URL): ContractDoc {
  return JSON.parse(readFileSync(url, 'utf8')) as ContractDoc;
}

export function writeLock(doc: ContractDoc, url: URL = LOCK_URL): void {
  writeFileSync(url, lockText(doc));
}

/** Each kind sorted by name (resources and prompts only when there are some), two-space JSON: the same bytes create-mcp-server writes. */
export function lockText(doc: ContractDoc): string {
  const sorted = <T>(entries: Record<string, T>) => Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)));
  const lock = {
    tools: sorted(doc.tools),
    ...(doc.resources && Object.keys(doc.resources).length > 0 ? { resources: sorted(doc.resources) } : {}),
    ...(doc.prompts && Object.keys(doc.prompts).length > 0 ? { prompts: sorted(doc.prompts) } : {}),
  };
  return `${JSON.stringify(lock, null, 2)}\n`;
}

function withoutDialect(schema: Record<string, unknown>): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
