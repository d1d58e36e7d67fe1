/**
 * The tools/call requests the HTTP transport sees in a request body before the SDK does, and the
 * audit records of those it answers itself. Every call from an authenticated caller is audited,
 * whatever layer refuses it:
 *
 *   403 insufficient_scope   the credential lacks the tool's scopes       denied / insufficient_scope
 *   429 / 503                the tenant's request budget, a full process   rate_limited / request_budget,
 *                            or the shared limiter down                    server_busy, limiter_unavailable
 *   (SDK's unknown-tool      no such tool, or one the tool rollout keeps   denied / unknown_tool
 *    error)                  from that tenant: what probing looks like
 *   (SDK's 4xx)              a protocol error (Accept, protocol version,   invalid / protocol_error
 *                            Mcp-* headers) before any call ran
 *
 * Calls that pass reach the pipeline, which audits them itself. Records are built by the one
 * builder (pipeline/audit.ts); arguments are redacted by the sink like any other record's.
 * Requests without a valid credential (401) are counted in metrics and a sampled log line, never
 * here: a flood of garbage must not grow the audit trail.
 */
import type { App } from '../app.js';
import type { Principal } from '../auth/principal.js';
import { auditRecord } from '../pipeline/audit.js';
import type { AnyTool } from '../pipeline/define-tool.js';
import type { Outcome } from '../pipeline/results.js';

/** A tools/call message of a request body (a JSON-RPC batch may hold several). */
export interface ToolCall {
  name: string;
  arguments: unknown;
}

export function toolCallsIn(body: unknown): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const message of Array.isArray(body) ? body : [body]) {
    if (typeof message !== 'object' || message === null) continue;
    const { method, params } = message as { method?: unknown; params?: { name?: unknown; arguments?: unknown } };
    if (method !== 'tools/call' || typeof params?.name !== 'string') continue;
    calls.push({ name: params.name, arguments: params.arguments ?? {} });
  }
  return calls;
}

export interface ToolCallAudit {
  /** The tool a call names, if this tenant has it (served, and enabled by the rollout). */
  toolFor(call: ToolCall, principal: Principal): AnyTool | undefined;
  /** Audits calls answered here, before the pipeline, each with this outcome. */
  refused(calls: readonly ToolCall[], principal: Principal, outcome: Exclude<Outcome, 'ok'>, errorCode: string): Promise<void>;
  /** Audits the calls naming a tool this tenant does not have (the SDK then answers them as unknown). */
  unknownTools(calls: readonly ToolCall[], principal: Principal): Promise<void>;
}

export function createToolCallAudit(app: App): ToolCallAudit {
  const served = new Map(app.tools.map((tool) => [tool.name, tool]));
  const toolFor = (call: ToolCall, principal: Principal) => {
    const tool = served.get(call.name);
    return tool && app.rollout.isEnabled(tool.name, principal.tenantId) ? tool : undefined;
  };
  const refused: ToolCallAudit['refused'] = async (calls, principal, outcome, errorCode) => {
    for (const call of calls) {
      const tool = toolFor(call, principal);
      await app.audit.write(auditRecord(principal, { tool: call.name, toolVersion: tool?.version ?? '', arguments: call.arguments, outcome, errorCode }));
    }
  };
  return {
    toolFor,
    refused,
    unknownTools: (calls, principal) =>
      refused(
        calls.filter((call) => !toolFor(call, principal)),
        principal,
        'denied',
        'unknown_tool',
      ),
  };
}
