/** Test helpers for tools behind approval `human`: find the approval id, grant it as an approver. */
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/server';

import type { App } from '../../src/app.js';
import { textOf } from './harness.js';

/** The id an `[approval_required]` result names. */
export function approvalIdOf(result: CallToolResult): string {
  const id = /approvalId "(apr_[A-Za-z0-9_-]+)"/.exec(textOf(result))?.[1];
  if (!id) throw new Error(`no approval id in: ${textOf(result)}`);
  return id;
}

/** What an approver does through /admin/approvals: another subject of the same tenant grants. */
export async function grant(app: App, tenantId: string, id: string, approver = 'approver'): Promise<void> {
  const decided = await app.pipeline.decideApproval(id, { tenantId, subject: approver, clientId: 'approver-client', scopes: ['approvals:grant'] }, 'grant');
  if (!decided.ok) throw new Error(`grant ${id} failed: ${decided.reason}`);
}

/** The whole `human` flow: call (parked), an approver grants, call again with the id. */
export async function callWithApproval(
  client: Client,
  app: App,
  tenantId: string,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const parked = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const id = approvalIdOf(parked);
  await grant(app, tenantId, id);
  return (await client.callTool({ name, arguments: { ...args, approvalId: id } })) as CallToolResult;
}
