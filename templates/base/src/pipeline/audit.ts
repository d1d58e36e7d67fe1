/**
 * Stage 5, for every call whatever its outcome: one JSON-lines audit record.
 *
 * Audit records answer "who did what, for which tenant, and what happened" after the fact, so
 * they are written for denied, invalid and rate-limited calls too, and kept apart from the
 * operational logs (AUDIT_LOG: stdout, stderr or a file; over stdio never stdout). Arguments are
 * redacted, each record is sealed into a hash chain (tamper evidence), and the pipeline answers
 * a call only once its record is written (src/audit/audit-sink.ts).
 */
import { randomUUID } from 'node:crypto';

import { AuditSink, type AuditSinkOptions } from '../audit/audit-sink.js';
import type { Principal } from '../auth/principal.js';
import type { BackendCall } from '../backends/backend-scope.js';
import type { ApprovalRecord, CacheOutcome, Outcome } from './results.js';

export interface AuditRecord {
  time: string;
  requestId: string;
  /** The OpenTelemetry trace of the call (the caller's, from `traceparent`, when it sent one); null when untraced. */
  traceId: string | null;
  tenant: string | null;
  subject: string | null;
  clientId: string | null;
  tool: string;
  toolVersion: string;
  arguments: unknown;
  outcome: Outcome;
  errorCode: string | null;
  /** For write tools that need approval: what the gate, or an approver, decided. */
  approval: ApprovalRecord | null;
  latencyMs: number;
  /** Size of the result as sent (its JSON), and its estimated tokens (what the model reads of it: pipeline/response-budget.ts). */
  responseBytes: number;
  responseTokens: number;
  /** Present when the answer was cut down to its tool's response budget. */
  truncated?: true;
  /** Tools with a cache: `hit` (served from it) or `miss`; write tools: `invalidated` when they dropped cached answers. */
  cache?: CacheOutcome;
  /** Each backend call the handler made (backend, operation, outcome, latency); empty when it made none. */
  backendCalls: BackendCall[];
  /** Present on calls to a deprecated tool: who still calls it before it is removed. */
  deprecated?: true;
}

/** Longer tool names are cut: a name that reached no tool is the caller's input, and a record must stay readable. */
const MAX_TOOL_NAME_LENGTH = 200;

/**
 * Every audit record is made here: by the pipeline for each call it runs, for an approver's
 * decision, and by the HTTP transport for a tools/call it refuses before the pipeline (401s
 * aside: no principal, no record). What a caller did not reach is left at its empty value: no
 * trace, version `''`, no latency, no backend calls.
 */
export function auditRecord(
  principal: Principal | undefined,
  call: Pick<AuditRecord, 'tool' | 'arguments' | 'outcome' | 'errorCode'> & Partial<Omit<AuditRecord, 'tenant' | 'subject' | 'clientId'>>,
): AuditRecord {
  const { tool, arguments: args, outcome, errorCode, deprecated, ...measured } = call;
  return {
    time: new Date().toISOString(),
    requestId: randomUUID(),
    traceId: null,
    tenant: principal?.tenantId ?? null,
    subject: principal?.subject ?? null,
    clientId: principal?.clientId ?? null,
    tool: tool.slice(0, MAX_TOOL_NAME_LENGTH),
    toolVersion: '',
    arguments: args ?? {},
    outcome,
    errorCode,
    approval: null,
    latencyMs: 0,
    responseBytes: 0,
    responseTokens: 0,
    backendCalls: [],
    ...measured,
    ...(deprecated ? { deprecated } : {}),
  };
}

export interface AuditLog {
  /** Resolves `true` once the record is written, `false` if the sink failed (never rejects). */
  write(record: AuditRecord): Promise<boolean>;
  /** Whether the sink can write (for /readyz and AUDIT_FAILURE_MODE=closed). */
  healthy(): boolean;
  /** AUDIT_FAILURE_MODE=closed: no call runs, and no result is given, without its record. */
  readonly failClosed: boolean;
  /** Resolves once every record written so far has reached the destination. */
  flush(): Promise<void>;
  /** Flushes, then closes a file destination. */
  close(): Promise<void>;
}

export function createAuditLog(options: AuditSinkOptions): AuditLog {
  return new AuditSink(options);
}
