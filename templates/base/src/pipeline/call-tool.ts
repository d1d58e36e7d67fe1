/**
 * The tool-call pipeline: every call, from any transport, goes through the stages of stages.ts
 * in order (authorize, rate limit, validate, cache, approval, handler, budget, redaction, audit,
 * metrics). Built once per process; server.ts routes each registered tool to `call`. It also
 * tracks calls in flight so shutdown can let them finish, and records approvers' decisions.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import type { CallToolResult, InputRequiredResult } from '@modelcontextprotocol/server';

import type { DecideResult } from '../approvals/pending-approvals.js';
import { auditRecord } from '../audit/audit-record.js';
import type { Principal } from '../auth/principal.js';
import { StateUnavailableError } from '../shared-state/shared-state.js';
import type { AnyTool } from '../tool-model/define-tool.js';
import type { CallContext, NamedStage, Stage } from './call-context.js';
import { CallLifecycle } from './call-lifecycle.js';
import type { CallRequest } from './call-request.js';
import type { PipelineDeps } from './pipeline-deps.js';
import { customStages } from './custom-stages.js';
import { buildStages, runStages, STAGES } from './stages.js';

export class ToolPipeline {
  private readonly lifecycle = new CallLifecycle();
  private readonly stages: readonly Stage[];

  /** `stages`: the list to run, in order (default: stages.ts's, with custom-stages.ts's changes). */
  constructor(
    private readonly deps: PipelineDeps,
    stages: readonly NamedStage[] = customStages(STAGES),
  ) {
    this.stages = buildStages({ ...deps, lifecycle: this.lifecycle }, stages);
  }

  /**
   * Runs one tool call through every stage; always resolves to a tool result (or, for approval
   * `client`, the question the client must answer first), never throws.
   */
  async call(tool: AnyTool, args: unknown, principal: Principal | undefined, request: CallRequest): Promise<CallToolResult | InputRequiredResult> {
    const requestId = randomUUID();
    const call: CallContext = {
      kind: 'tool',
      tool,
      args,
      input: {},
      principal,
      request,
      requestId,
      startedAt: performance.now(),
      log: this.deps.logger.child({ requestId, tool: tool.name, tenant: principal?.tenantId }),
      span: this.deps.tracing.startCall(tool.name, tool.version, principal, request.trace, requestId),
      backendCalls: [],
    };
    return (await this.lifecycle.track(runStages(this.stages, call))).result;
  }

  /** Refuses new calls from now on; calls already running continue. */
  beginShutdown(): void {
    this.lifecycle.beginShutdown();
  }

  /** Waits for calls in flight, at most `timeoutMs`; then aborts the stragglers' signals. `true`: all finished in time. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.lifecycle.drain(timeoutMs);
  }

  /**
   * An approver grants or denies a parked call (approval `human`). Audited like a call, with the
   * approver as subject and the parked call's tool and arguments; so is a refused attempt (the
   * caller approving their own call, a call already decided).
   */
  async decideApproval(
    id: string,
    approver: Principal,
    decision: 'grant' | 'deny',
    reason?: string,
  ): Promise<DecideResult | { ok: false; reason: 'audit_unavailable' | 'unavailable'; approval?: undefined }> {
    // AUDIT_FAILURE_MODE=closed: no decision without its record, as no call runs without one.
    if (this.deps.audit.failClosed && !this.deps.audit.healthy()) return { ok: false, reason: 'audit_unavailable' };
    let decided: DecideResult;
    try {
      decided = await this.deps.approvals.pending.decide(id, approver, decision, reason);
    } catch (error) {
      if (error instanceof StateUnavailableError) return { ok: false, reason: 'unavailable' };
      throw error;
    }
    const approval = decided.approval;
    if (!approval) return decided; // unknown to this tenant: nothing to record against
    await this.deps.audit.write(
      auditRecord(approver, {
        tool: approval.tool,
        toolVersion: approval.toolVersion,
        arguments: approval.arguments,
        outcome: decided.ok ? (decision === 'grant' ? 'approval_granted' : 'approval_denied') : 'denied',
        errorCode: decided.ok ? null : decided.reason,
        approval: { mode: 'human', id, decision: approval.status, decidedBy: approval.decidedBy?.subject ?? null },
      }),
    );
    return decided;
  }
}
