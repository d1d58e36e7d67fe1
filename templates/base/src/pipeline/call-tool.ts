/**
 * The tool-call pipeline: every call, from any transport, goes through the same stages in order:
 *
 *   authorize -> rate limit -> validate input -> response cache (read tools with `cache`: a hit
 *     skips to the audit) -> approval gate -> handler (tenant-scoped ctx, within the concurrency
 *     caps) -> response budget -> redact output (optional) -> cache store / invalidation
 *     -> audit (written before the result is returned) -> metrics + trace span
 *
 * Built once per process (limiters and the audit stream live here); server.ts routes each
 * registered tool to `call`. It also tracks calls in flight so shutdown can let them finish.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import type { CallToolResult, InputRequiredResult } from '@modelcontextprotocol/server';

import { withTimeout } from '../async/with-timeout.js';
import type { DecideResult } from '../approvals/pending-approvals.js';
import type { Principal } from '../auth/principal.js';
import type { BackendCall, Backends } from '../backends/index.js';
import type { ConcurrencyLimits } from '../limits/concurrency.js';
import { UNAVAILABLE_RETRY_SECONDS } from '../limits/limiter-store.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { CallSpan, Tracing } from '../observability/tracing.js';
import type { Redactor } from '../redaction/redactor.js';
import { auditRecord } from '../audit/audit-record.js';
import { StateUnavailableError } from '../shared-state/shared-state.js';
import type { AuditLog } from './audit.js';
import { approvalGate, type ApprovalDeps, type CallRequest } from './approve.js';
import { authorize } from './authorize.js';
import type { AnyTool, ToolContext } from './define-tool.js';
import { HandlerSignals } from './handler-signals.js';
import { seconds, type RateLimits } from './rate-limit.js';
import { redactOutput } from './redact-output.js';
import { resultTokens, type ResponseBudget } from './response-budget.js';
import type { ResponseCache } from './response-cache.js';
import { errorResult, type PipelineResult } from './results.js';
import { runHandler } from './run-handler.js';
import type { ToolRollout } from './tool-rollout.js';
import { validateInput } from './validate-input.js';

export interface PipelineDeps {
  backends: Backends;
  rateLimits: RateLimits;
  audit: AuditLog;
  logger: Logger;
  rollout: ToolRollout;
  approvals: ApprovalDeps;
  concurrency: ConcurrencyLimits;
  metrics: Metrics;
  tracing: Tracing;
  /** Read tools' cached answers (tools with `cache`), dropped by writes. */
  cache: ResponseCache;
  /** Each tool's largest answer (maxResponseTokens / MAX_RESPONSE_TOKENS). */
  budget: ResponseBudget;
  /** REDACT_TOOL_OUTPUT=true: redact results before the model sees them. */
  outputRedactor?: Redactor | undefined;
}

export class ToolPipeline {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly handlerSignals = new HandlerSignals();
  private shuttingDown = false;

  constructor(private readonly deps: PipelineDeps) {}

  /**
   * Runs one tool call through every stage; always resolves to a tool result (or, for approval
   * `client`, the question the client must answer first), never throws.
   */
  call(tool: AnyTool, args: unknown, principal: Principal | undefined, request: CallRequest): Promise<CallToolResult | InputRequiredResult> {
    const call = this.run(tool, args, principal, request);
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call));
    return call;
  }

  /** Refuses new calls from now on; calls already running continue. */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  /**
   * Waits for calls in flight, at most `timeoutMs`; then aborts the stragglers' signals.
   * Resolves `true` when every call finished in time.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.beginShutdown();
    const finished = Promise.allSettled([...this.inFlight]).then(() => true);
    const drained = await withTimeout(finished, timeoutMs, false);
    if (!drained) this.handlerSignals.abortAll(new Error('server shutting down'));
    return drained;
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

  private async run(tool: AnyTool, args: unknown, principal: Principal | undefined, request: CallRequest): Promise<CallToolResult | InputRequiredResult> {
    const started = performance.now();
    const requestId = randomUUID();
    const log = this.deps.logger.child({ requestId, tool: tool.name, tenant: principal?.tenantId });
    // Filled by the backends the handler calls: which backend, how long, with what outcome.
    const backendCalls: BackendCall[] = [];
    const span = this.deps.tracing.startCall(tool.name, tool.version, principal, request.trace, requestId);

    let outcome: PipelineResult;
    try {
      outcome = await this.stages(tool, args, principal, request, requestId, log, backendCalls, span);
    } catch (error) {
      // A stage itself failed (e.g. the rate limiter's store): fail closed, without details.
      log.error({ err: error }, 'tool pipeline failed');
      outcome = errorResult('error', 'internal_error', `${tool.name} failed unexpectedly. Reference: ${requestId}.`);
    }

    const responseBytes = Buffer.byteLength(JSON.stringify(outcome.result));
    const responseTokens = resultTokens(outcome.result);
    const latencyMs = performance.now() - started;
    // Awaited: no call is answered without its record (AUDIT_FAILURE_MODE decides what a failed write means).
    const recorded = await this.deps.audit.write(
      auditRecord(principal, {
        requestId,
        traceId: span.traceId,
        tool: tool.name,
        toolVersion: tool.version,
        arguments: args,
        outcome: outcome.outcome,
        errorCode: outcome.errorCode,
        approval: outcome.approval ?? null,
        latencyMs: Math.round(latencyMs * 100) / 100,
        responseBytes,
        responseTokens,
        backendCalls,
        ...(outcome.truncated ? { truncated: true as const } : {}),
        ...(outcome.cache ? { cache: outcome.cache } : {}),
        ...(tool.deprecated ? { deprecated: true as const } : {}),
      }),
    );
    if (!recorded && this.deps.audit.failClosed && outcome.errorCode !== 'audit_unavailable') {
      log.error({ outcome: outcome.outcome }, 'tool call result withheld: its audit record could not be written');
      outcome = errorResult('error', 'audit_unavailable', `${tool.name} could not be recorded in the audit trail, so its result is withheld (it may have run). Retry later. Reference: ${requestId}.`);
    }
    this.deps.metrics.callFinished(tool.name, outcome.outcome, principal?.tenantId, latencyMs / 1000);
    this.deps.metrics.responseMeasured(tool.name, responseBytes, responseTokens, outcome.truncated === true);
    span.end(outcome.outcome, outcome.errorCode);
    log.debug({ outcome: outcome.outcome, errorCode: outcome.errorCode }, 'tool call finished');
    return outcome.result;
  }

  private async stages(
    tool: AnyTool,
    args: unknown,
    principal: Principal | undefined,
    request: CallRequest,
    requestId: string,
    log: Logger,
    backendCalls: BackendCall[],
    span: CallSpan,
  ): Promise<PipelineResult> {
    if (this.shuttingDown) return errorResult('error', 'unavailable', 'The server is shutting down. Retry shortly.');
    if (this.deps.audit.failClosed && !this.deps.audit.healthy()) {
      return errorResult('error', 'audit_unavailable', 'The audit trail cannot be written right now, so no call can run. Retry later.');
    }

    const denied = authorize(tool, principal, this.deps.rollout);
    if (denied || !principal) return denied ?? errorResult('denied', 'unauthenticated', 'No credential.');

    const limited = await this.deps.rateLimits.check(tool, principal, request.budgets);
    if (limited) return limited;

    const validated = validateInput(tool, args, request.swallowedKeys);
    if (!validated.ok) return validated.rejection;

    const cached = this.deps.cache.caches(tool) ? await this.deps.cache.lookup(tool, principal, validated.input) : undefined;
    // Stored as the model read it (redacted already, with REDACT_TOOL_OUTPUT).
    if (cached?.hit) return cached.hit;

    // The slot is taken before the approval gate: a call refused for capacity keeps its approval.
    const admitted = await this.deps.concurrency.run(principal.tenantId, () =>
      this.approveAndRun(tool, validated.input, principal, request, requestId, log, backendCalls, span),
    );
    if (!admitted.ok) {
      this.deps.metrics.rateLimited(admitted.limit, tool.name, principal.tenantId);
      if (admitted.limit === 'unavailable') {
        return errorResult('rate_limited', 'limiter_unavailable', `Concurrency limits are unavailable right now, so calls are paused. Retry in ${seconds(UNAVAILABLE_RETRY_SECONDS)}.`);
      }
      return admitted.limit === 'tenant_concurrency'
        ? errorResult('rate_limited', 'concurrency_limited', `Too many calls of this tenant are running at once. Retry in ${seconds(1)}.`)
        : errorResult('rate_limited', 'server_busy', `The server is at capacity. Retry in ${seconds(1)}.`);
    }
    let outcome = this.redacted(this.deps.budget.fit(tool, validated.input, admitted.value));
    if (cached) {
      await this.deps.cache.remember(tool, principal, cached, outcome, backendCalls);
      outcome = { ...outcome, cache: 'miss' };
    } else if (await this.deps.cache.afterWrite(tool, principal, outcome, backendCalls)) {
      outcome = { ...outcome, cache: 'invalidated' };
    }
    return outcome;
  }

  /** REDACT_TOOL_OUTPUT=true: what the model reads is redacted, before it is cached (no unredacted answer in Redis either). */
  private redacted(outcome: PipelineResult): PipelineResult {
    return this.deps.outputRedactor ? redactOutput(outcome, this.deps.outputRedactor) : outcome;
  }

  private async approveAndRun(
    tool: AnyTool,
    input: Record<string, unknown>,
    principal: Principal,
    request: CallRequest,
    requestId: string,
    log: Logger,
    backendCalls: BackendCall[],
    span: CallSpan,
  ): Promise<PipelineResult> {
    const gate = await approvalGate(tool, input, principal, request, this.deps.approvals);
    if (!gate.proceed) return gate.outcome;

    // Aborted by the client's cancel or by shutdown (handler-signals.ts: AbortSignal.any costs too much per call).
    const handlerSignal = this.handlerSignals.begin(request.signal);
    const signal = handlerSignal.signal;
    const ctx: ToolContext = {
      principal,
      tenant: principal.tenantId,
      // The only way a handler reaches data: already bound to the caller's tenant, and to reading
      // only when the tool is a read tool.
      backends: this.deps.backends.forTenant(principal.tenantId, {
        access: tool.access,
        signal,
        requestId,
        onCall: (call) => backendCalls.push(call),
      }),
      log,
      signal,
      requestId,
    };
    // Within the call's span, so spans the handler's I/O makes nest under it.
    const result = await span.run(() => runHandler(tool, gate.input, ctx)).finally(handlerSignal.end);
    return gate.approval ? { ...result, approval: gate.approval } : result;
  }
}
