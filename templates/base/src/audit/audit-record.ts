/**
 * The audit record: one JSON line per tool call (and per resource read and prompt get), whatever its outcome, answering "who did what,
 * for which tenant, and what happened" after the fact. Every record is made by `auditRecord`:
 * the pipeline's audit for each call it runs, an approver's decision, and the transports for a
 * tools/call they answer before the pipeline (tool-call-audit.ts). The sink (audit-sink.ts)
 * redacts its arguments and seals it into the hash chain.
 */
import { randomUUID } from 'node:crypto';

import type { Principal } from '../auth/principal.js';
import type { BackendCall } from '../backends/backend-scope.js';
import type { ApprovalRecord, CacheOutcome, Outcome } from '../pipeline/results.js';

export interface AuditRecord {
  time: string;
  requestId: string;
  /** The OpenTelemetry trace of the call (the caller's, from `traceparent`, when it sent one); null when untraced. */
  traceId: string | null;
  tenant: string | null;
  subject: string | null;
  clientId: string | null;
  /** Present on a resource read (`resource`), a prompt get (`prompt`) or a completion (`completion`); absent on a tool call. */
  kind?: 'resource' | 'prompt' | 'completion';
  /** The tool called; with `kind`, the resource read, the prompt got, or the prompt or resource completed. */
  tool: string;
  toolVersion: string;
  /** A resource read: the URI read. */
  uri?: string;
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

/** What the caller of `auditRecord` knows of the call: the rest comes from the principal or stays empty. */
export type AuditedCall = Pick<AuditRecord, 'tool' | 'arguments' | 'outcome' | 'errorCode'> & Partial<Omit<AuditRecord, 'tenant' | 'subject' | 'clientId'>>;

/** Longer tool names are cut: a name that reached no tool is the caller's input, and a record must stay readable. */
const MAX_TOOL_NAME_LENGTH = 200;

/**
 * The record of one call (401s aside: no principal, no record). What a call did not reach is
 * left at its empty value: no trace, version `''`, no latency, no backend calls.
 */
export function auditRecord(principal: Principal | undefined, call: AuditedCall): AuditRecord {
  const { tool, arguments: args, outcome, errorCode, deprecated, ...measured } = call;
  return {
    time: new Date().toISOString(),
    // A call's record has the call's id (in `measured`); only a record of no call gets a new one.
    requestId: measured.requestId ?? randomUUID(),
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
