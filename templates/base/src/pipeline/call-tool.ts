/**
 * The pipeline: every tool call, resource read and prompt get, from any transport, goes through
 * the stages of stages.ts in order (authorize, rate limit, validate, cache, approval, handler,
 * budget, redaction, audit, metrics). Built once per process; server.ts routes each registered
 * tool to `call`, each resource to `read`, each prompt to `getPrompt`. It also
 * tracks calls in flight so shutdown can let them finish, and records approvers' decisions.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { ProtocolError, type CallToolResult, type CompleteResult, type GetPromptResult, type InputRequiredResult, type ReadResourceResult } from '@modelcontextprotocol/server';

import type { DecideResult } from '../approvals/pending-approvals.js';
import { auditRecord } from '../audit/audit-record.js';
import type { Principal } from '../auth/principal.js';
import { StateUnavailableError } from '../shared-state/shared-state.js';
import type { AnyPrompt } from '../tool-model/define-prompt.js';
import type { AnyResource } from '../tool-model/define-resource.js';
import type { AnyTool } from '../tool-model/define-tool.js';
import type { Governed } from '../tool-model/governed.js';
import type { CallContext, CallKind, NamedStage, Stage } from './call-context.js';
import { CallLifecycle } from './call-lifecycle.js';
import type { CallRequest } from './call-request.js';
import type { PipelineDeps } from './pipeline-deps.js';
import type { PipelineResult } from './results.js';
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
   * Runs one tool call through every stage; always resolves to a tool result (or the question the
   * client must answer first: approval `client`, ctx.input.ask), never throws.
   */
  async call(tool: AnyTool, args: unknown, principal: Principal | undefined, request: CallRequest): Promise<CallToolResult | InputRequiredResult> {
    // A tool that stands for others (an API catalog's call_operation): the call is a call of the
    // tool it names, through the same stages with that tool's policy and audit record. It
    // resolves only what the caller's tenant may use (without a caller, authorize refuses).
    const tenant = principal?.tenantId;
    const routed = tool.route?.(args, { enabled: (name) => tenant === undefined || this.deps.rollout.isEnabled(name, tenant) });
    if (routed) {
      const inner = { ...request, routedFrom: tool.name };
      const outcome = await this.run({ ...this.begin('tool', routed.tool, routed.args, principal, inner), kind: 'tool', target: routed.tool });
      return outcome.result as CallToolResult | InputRequiredResult;
    }
    const outcome = await this.run({ ...this.begin('tool', tool, args, principal, request), kind: 'tool', target: tool });
    return outcome.result as CallToolResult | InputRequiredResult;
  }

  /**
   * The SDK's check of an echoed requestState, before the call reaches the stages: one this
   * server signed, unexpired, and (a handler's) sealed for this caller. Throws otherwise, which
   * the SDK answers with a JSON-RPC error (-32602). Which tool, resource or prompt a handler's
   * state belongs to, and an approval's state, are checked in the stages, and audited there.
   */
  async verifyRequestState(requestState: string, principal: Principal | undefined): Promise<void> {
    if (principal && (await this.deps.inputStates.authentic(requestState, principal))) return;
    if (await this.deps.approvals.confirmations.authentic(requestState)) return;
    this.deps.logger.warn({ tenant: principal?.tenantId, subject: principal?.subject }, 'refused a requestState this server did not sign for the caller, or that expired');
    throw new Error('invalid requestState');
  }

  /**
   * Reads a resource through every stage. A refusal or failure is thrown as a protocol error
   * (the spec's resources/read has no error result), with the same `[code] message` text.
   */
  async read(resource: AnyResource, uri: string, variables: Record<string, unknown>, principal: Principal | undefined, request: CallRequest): Promise<ReadResourceResult> {
    const outcome = await this.run({ ...this.begin('resource', resource, variables, principal, request), kind: 'resource', target: resource, uri });
    return answerOrThrow(outcome) as ReadResourceResult;
  }

  /** Gets a prompt's messages through every stage; a refusal or failure is thrown as a protocol error. */
  async getPrompt(prompt: AnyPrompt, args: Record<string, unknown>, principal: Principal | undefined, request: CallRequest): Promise<GetPromptResult> {
    const outcome = await this.run({ ...this.begin('prompt', prompt, args, principal, request), kind: 'prompt', target: prompt });
    return answerOrThrow(outcome) as GetPromptResult;
  }

  /**
   * Suggestions for a prompt's argument or a resource template's variable, through every stage
   * (authorized by the target's scopes and rollout, rate-limited with it, audited); a refusal or
   * failure is thrown as a protocol error.
   */
  async complete(target: AnyPrompt | AnyResource, args: { argument: string; value: string; context: Record<string, string> }, principal: Principal | undefined, request: CallRequest): Promise<CompleteResult> {
    const outcome = await this.run({ ...this.begin('completion', target, args, principal, request), kind: 'completion', target });
    return answerOrThrow(outcome) as CompleteResult;
  }

  /** What every call's context starts with. */
  private begin(kind: CallKind, target: Governed, args: unknown, principal: Principal | undefined, request: CallRequest) {
    const requestId = randomUUID();
    return {
      args,
      input: {},
      principal,
      request,
      requestId,
      startedAt: performance.now(),
      log: this.deps.logger.child({ requestId, [kind]: target.name, tenant: principal?.tenantId }),
      span: this.deps.tracing.startCall(target.name, target.version, principal, request.trace, requestId),
      backendCalls: [],
    };
  }

  private run(call: CallContext): Promise<PipelineResult> {
    return this.lifecycle.track(runStages(this.stages, call));
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

/**
 * JSON-RPC codes for what a resource read or prompt get answers instead of its result. A resource
 * not found is -32602 too, as the 2026-07-28 revision has it (the SDK sends an older -32002 as
 * -32602 in both eras); the message's `[not_found]` tells it from invalid arguments.
 */
const INVALID_PARAMS = -32602;
/** Implementation-defined server error: refused (denied, rate limited, unavailable) or failed. */
const REFUSED = -32000;

/** The answer of a resource read or prompt get, or its refusal as a protocol error carrying the error code. */
function answerOrThrow(outcome: PipelineResult): PipelineResult['result'] {
  // A question (ctx.input.ask) is an answer too: the client retries with what it was asked for.
  if (outcome.outcome === 'ok' || outcome.outcome === 'input_required') return outcome.result;
  const content = (outcome.result as CallToolResult).content;
  const text = Array.isArray(content) ? content.map((block) => (block.type === 'text' ? block.text : '')).join(' ') : outcome.outcome;
  const code = outcome.outcome === 'invalid' || outcome.errorCode === 'not_found' ? INVALID_PARAMS : REFUSED;
  throw new ProtocolError(code, text, { errorCode: outcome.errorCode, outcome: outcome.outcome });
}
