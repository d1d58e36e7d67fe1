/**
 * The tools/call requests a transport sees in an incoming JSON-RPC message before the SDK does,
 * and the audit records of those it answers itself. Every call from an authenticated caller is
 * audited, whatever layer refuses it:
 *
 *   403 insufficient_scope   the credential lacks the tool's scopes       denied / insufficient_scope   (HTTP)
 *   429 / 503                the tenant's request budget, a full process   rate_limited / request_budget, (HTTP)
 *                            or the shared limiter down                    server_busy, limiter_unavailable
 *   (SDK's unknown-tool      no such tool, or one the tool rollout keeps   denied / unknown_tool         (HTTP, stdio)
 *    error)                  from that tenant: what probing looks like
 *   (SDK's 4xx)              a protocol error (Accept, protocol version,   invalid / protocol_error      (HTTP)
 *                            Mcp-* headers) before any call ran
 *
 * Calls that pass reach the pipeline, which audits them itself. Records are built by the one
 * builder (audit-record.ts); arguments are redacted by the sink like any other record's.
 * Requests without a valid credential (HTTP 401) are counted in metrics and a sampled log line,
 * never here: a flood of garbage must not grow the audit trail.
 */
import type { Principal } from '../auth/principal.js';
import type { AuditLog } from '../pipeline/audit.js';
import type { AnyTool } from '../tool-model/define-tool.js';
import type { Outcome } from '../pipeline/results.js';
import type { ToolRollout } from '../pipeline/tool-rollout.js';
import { auditRecord } from './audit-record.js';

/** A tools/call message of a request body (a JSON-RPC batch may hold several). */
export interface ToolCall {
  name: string;
  arguments: unknown;
}

/** The tools/call requests of a parsed JSON-RPC message or batch. */
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
  /** Audits calls answered before the pipeline, each with this outcome. */
  refused(calls: readonly ToolCall[], principal: Principal, outcome: Exclude<Outcome, 'ok'>, errorCode: string): Promise<void>;
  /** Audits the calls naming a tool this tenant does not have (the SDK then answers them as unknown). */
  unknownTools(calls: readonly ToolCall[], principal: Principal): Promise<void>;
}

/** What it needs of the App: the served tools, the rollout that hides some per tenant, the audit log. */
export interface ToolCallAuditDeps {
  tools: readonly AnyTool[];
  rollout: ToolRollout;
  audit: Pick<AuditLog, 'write'>;
}

export function createToolCallAudit({ tools, rollout, audit }: ToolCallAuditDeps): ToolCallAudit {
  const served = new Map(tools.map((tool) => [tool.name, tool]));
  const toolFor = (call: ToolCall, principal: Principal) => {
    const tool = served.get(call.name);
    return tool && rollout.isEnabled(tool.name, principal.tenantId) ? tool : undefined;
  };
  const refused: ToolCallAudit['refused'] = async (calls, principal, outcome, errorCode) => {
    for (const call of calls) {
      const tool = toolFor(call, principal);
      await audit.write(auditRecord(principal, { tool: call.name, toolVersion: tool?.version ?? '', arguments: call.arguments, outcome, errorCode }));
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
