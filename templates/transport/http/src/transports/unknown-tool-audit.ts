/**
 * A tools/call naming a tool the caller's tenant does not have (no such tool, or one the tool
 * rollout keeps from that tenant) never reaches the pipeline: the SDK answers it with the
 * protocol's unknown-tool error. Calls like that are what probing looks like, so they are
 * audited here, before the SDK answers: outcome `denied`, error code `unknown_tool`, the name
 * as the caller sent it. A known tool costs a set lookup; nothing else is done per request.
 */
import { randomUUID } from 'node:crypto';

import type { App } from '../app.js';
import type { Principal } from '../auth/principal.js';

/** Longer names are cut: the name is the caller's input, and the record must stay readable. */
const MAX_NAME_LENGTH = 200;

export type UnknownToolAudit = (body: unknown, principal: Principal) => Promise<void>;

export function createUnknownToolAudit(app: App): UnknownToolAudit {
  const served = new Set(app.tools.map((tool) => tool.name));
  return async (body, principal) => {
    // A JSON-RPC batch (2025-03-26 clients) is audited call by call.
    for (const message of Array.isArray(body) ? body : [body]) {
      const call = toolCall(message);
      if (!call) continue;
      if (served.has(call.name) && app.rollout.isEnabled(call.name, principal.tenantId)) continue;
      await app.audit.write({
        time: new Date().toISOString(),
        requestId: randomUUID(),
        traceId: null,
        tenant: principal.tenantId,
        subject: principal.subject,
        clientId: principal.clientId,
        tool: call.name.slice(0, MAX_NAME_LENGTH),
        toolVersion: '',
        arguments: call.arguments,
        outcome: 'denied',
        errorCode: 'unknown_tool',
        approval: null,
        latencyMs: 0,
        responseBytes: 0,
        responseTokens: 0,
        backendCalls: [],
      });
    }
  };
}

function toolCall(message: unknown): { name: string; arguments: unknown } | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown; arguments?: unknown } };
  if (method !== 'tools/call' || typeof params?.name !== 'string') return undefined;
  return { name: params.name, arguments: params.arguments ?? {} };
}
