/**
 * Cross-tenant attempts on every tool this server ships: tenant acme writes a marker through
 * every write tool; tenant globex then asks every tool for it, by value and by smuggling a tenant
 * argument, and must never see it. Whatever the tools and backends become, this stays true.
 */
import { randomUUID } from 'node:crypto';

import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AnyTool } from '../src/tool-model/define-tool.js';
import { tools } from '../src/tools/registry.js';
import { approvalIdOf, grant } from './support/approvals.js';
import { CONFIRM_YES, startHarness, textOf, type Harness } from './support/harness.js';

/** Arguments for `tool` with every string set to `marker`: what a caller would search or write. */
function argumentsCarrying(tool: AnyTool, marker: string): Record<string, unknown> {
  const schema = tool.inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) as {
    properties?: Record<string, { type?: string; items?: { type?: string }; minimum?: number }>;
  };
  const args: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (name === 'approvalId') continue;
    if (property.type === 'string') args[name] = marker;
    else if (property.type === 'integer' || property.type === 'number') args[name] = Math.max(1, property.minimum ?? 1);
    else if (property.type === 'boolean') args[name] = true;
    else if (property.type === 'array' && property.items?.type === 'string') args[name] = [marker];
  }
  return args;
}

const SMUGGLED = { tenantId: 'acme', tenant: 'acme', tenant_id: 'acme', _tenant: 'acme' };

let harness: Harness;
let acme: Client;
let globex: Client;
beforeEach(async () => {
  harness = await startHarness({ tenant: 'acme', confirm: CONFIRM_YES });
  acme = harness.client;
  globex = await harness.connectAs({ tenantId: 'globex', subject: 'intruder' }, { confirm: CONFIRM_YES });
});
afterEach(() => harness.close());

/** Calls a tool the way its approval mode needs (the approver is another subject of the caller's tenant). */
async function call(client: Client, tenantId: string, tool: AnyTool, args: Record<string, unknown>): Promise<CallToolResult> {
  const result = (await client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
  if (tool.approval !== 'human' || !textOf(result).startsWith('[approval_required]')) return result;
  const id = approvalIdOf(result);
  await grant(harness.app, tenantId, id);
  return (await client.callTool({ name: tool.name, arguments: { ...args, approvalId: id } })) as CallToolResult;
}

describe('cross-tenant attempts on every tool', () => {
  const writeTools = tools.filter((tool) => tool.access === 'write');

  it.each(tools.map((tool) => [tool.name, tool] as const))('%s never shows tenant acme\'s data to tenant globex', async (_name, tool) => {
    const secret = `acme-only-${randomUUID()}`;
    for (const writer of writeTools) await call(acme, 'acme', writer, argumentsCarrying(writer, secret));

    // Asked for the secret by value…
    const byValue = await call(globex, 'globex', tool, argumentsCarrying(tool, secret));
    if (tool.access === 'read') expect(JSON.stringify(byValue)).not.toContain(secret);
    // …or with a tenant smuggled into the arguments: refused, and nothing leaks either way.
    const smuggled = await call(globex, 'globex', tool, { ...argumentsCarrying(tool, `globex-${randomUUID()}`), ...SMUGGLED });
    expect(smuggled.isError).toBe(true);
    expect(textOf(smuggled)).toMatch(/^\[invalid_arguments\]/);
    expect(JSON.stringify(smuggled)).not.toContain(secret);

    // Every call was made, and audited, as the caller's own tenant.
    const records = await harness.auditRecords();
    for (const record of records.filter((each) => each.subject === 'intruder')) expect(record.tenant).toBe('globex');
    for (const record of records.filter((each) => each.subject === harness.principal.subject)) expect(record.tenant).toBe('acme');
  });

  it.each(writeTools.map((tool) => [tool.name, tool] as const))('%s writes into the caller\'s tenant only', async (_name, tool) => {
    const written = `globex-wrote-${randomUUID()}`;
    await call(globex, 'globex', tool, argumentsCarrying(tool, written));
    for (const reader of tools.filter((each) => each.access === 'read')) {
      expect(JSON.stringify(await call(acme, 'acme', reader, argumentsCarrying(reader, written)))).not.toContain(written);
    }
  });
});
