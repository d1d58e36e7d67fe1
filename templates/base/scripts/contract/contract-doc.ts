/**
 * The contract as code defines it now (tools, the resources and prompts beside them, and the
 * operations a tool routes calls to: an API catalog's), and as contracts/tools.lock.json records it.
 * Schemas are what the SDK lists on tools/list: zod's Standard JSON Schema, draft 2020-12,
 * without the `$schema` dialect marker.
 */
import { readFileSync, writeFileSync } from 'node:fs';

import type { Catalog } from '../../src/server.js';
import type { AnyPrompt } from '../../src/tool-model/define-prompt.js';
import type { AnyResource } from '../../src/tool-model/define-resource.js';
import type { AnyTool } from '../../src/tool-model/define-tool.js';
import type { ContractDoc, JsonSchema, OperationContract, PromptContract, ResourceContract, ToolContract } from './classify.js';

export const LOCK_URL = new URL('../../contracts/tools.lock.json', import.meta.url);

export function currentContract({ tools, resources, prompts }: Catalog): ContractDoc {
  const entries = tools.map((tool): [string, ToolContract] => [
    tool.name,
    {
      version: tool.version,
      title: tool.title,
      description: tool.description,
      access: tool.access,
      inputSchema: listedInputSchema(tool),
      outputSchema: withoutDialect(tool.outputSchema['~standard'].jsonSchema.output({ target: 'draft-2020-12' })),
      ...(tool.deprecated ? { deprecated: { ...tool.deprecated } } : {}),
    },
  ]);
  const operations = tools.flatMap((tool) => tool.routes?.() ?? []);
  return {
    tools: Object.fromEntries(entries),
    ...(resources.length > 0 ? { resources: Object.fromEntries(resources.map((r) => [r.name, resourceContract(r)])) } : {}),
    ...(prompts.length > 0 ? { prompts: Object.fromEntries(prompts.map((p) => [p.name, promptContract(p)])) } : {}),
    ...(operations.length > 0 ? { operations: Object.fromEntries(operations.map((o) => [o.name, operationContract(o)])) } : {}),
  };
}

/** The input schema as tools/list would show it: `type: "object"` at the root, no dialect. */
function listedInputSchema(tool: AnyTool): JsonSchema {
  return { type: 'object', ...withoutDialect(tool.inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' })) };
}

/** An operation a tool routes to: what describe_operation tells a client, and what call_operation checks. */
function operationContract(tool: AnyTool & { answer?: JsonSchema | undefined }): OperationContract {
  return {
    version: tool.version,
    title: tool.title,
    description: tool.description,
    access: tool.access,
    approval: tool.approval ?? 'none',
    inputSchema: listedInputSchema(tool),
    // The documented answer as the import wrote it, not as zod re-emits it: the same bytes the generator locks.
    ...(tool.answer ? { output: tool.answer } : {}),
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

/** Each kind sorted by name (resources, prompts and operations only when there are some), two-space JSON: the same bytes create-mcp-server writes. */
export function lockText(doc: ContractDoc): string {
  const sorted = <T>(entries: Record<string, T>) => Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)));
  const lock = {
    tools: sorted(doc.tools),
    ...(doc.resources && Object.keys(doc.resources).length > 0 ? { resources: sorted(doc.resources) } : {}),
    ...(doc.prompts && Object.keys(doc.prompts).length > 0 ? { prompts: sorted(doc.prompts) } : {}),
    ...(doc.operations && Object.keys(doc.operations).length > 0 ? { operations: sorted(doc.operations) } : {}),
  };
  return `${JSON.stringify(lock, null, 2)}\n`;
}

function withoutDialect(schema: Record<string, unknown>): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
