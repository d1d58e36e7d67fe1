/**
 * The order every tool call goes through, in one list: each stage may answer by itself or call
 * the next, and sees the result on its way back out (call-context.ts). Outermost first:
 *
 *   observe         metrics, the trace span and a log line, once the call is answered
 *   audit           one record per call, written before the result is returned
 *   fail-safe       a stage that throws gives a generic error, still audited
 *   admission       shutting down? audit sink down with AUDIT_FAILURE_MODE=closed?
 *   authorize       credential, tool enabled for the tenant, scopes
 *   rate-limit      per tenant and per tenant and tool
 *   validate-input  the tool's input schema (a rejection is an `invalid` outcome)
 *   response-cache  read tools with `cache`: a hit answers here; writes drop the tenant's answers
 *   redact-output   REDACT_TOOL_OUTPUT: before the answer is cached or returned
 *   response-budget an answer over maxResponseTokens is cut down to fit
 *   concurrency     calls at once per tenant and per process (the slot is held to the end)
 *   approval        write tools with `approval`: the user confirms, or an approver grants
 *   handler         the tool's handler, with tenant-scoped backends
 *
 * custom-stages.ts (yours) may insert stages anywhere before the handler.
 */
import type { CallContext, NamedStage, Stage } from './call-context.js';
import type { StageDeps } from './pipeline-deps.js';
import type { PipelineResult } from './results.js';
import { admission } from './stages/admission.js';
import { approval } from './stages/approval.js';
import { audit } from './stages/audit.js';
import { authorize } from './stages/authorize.js';
import { concurrency } from './stages/concurrency.js';
import { failSafe } from './stages/fail-safe.js';
import { handler } from './stages/handler.js';
import { observe } from './stages/observe.js';
import { rateLimit } from './stages/rate-limit.js';
import { redactOutput } from './stages/redact-output.js';
import { responseBudget } from './stages/response-budget.js';
import { responseCache } from './stages/response-cache.js';
import { validateInput } from './stages/validate-input.js';

export const STAGES: readonly NamedStage[] = [
  observe,
  audit,
  failSafe,
  admission,
  authorize,
  rateLimit,
  validateInput,
  responseCache,
  redactOutput,
  responseBudget,
  concurrency,
  approval,
  handler,
];

/** Builds each stage once, in order; refuses a list without the handler last or with a name twice. */
export function buildStages(deps: StageDeps, stages: readonly NamedStage[]): Stage[] {
  const names = stages.map((stage) => stage.name);
  if (names.at(-1) !== 'handler') throw new Error(`The pipeline's last stage must be the handler, not ${names.at(-1) ?? 'nothing'} (src/pipeline/custom-stages.ts)`);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) throw new Error(`Two pipeline stages are named ${twice} (src/pipeline/custom-stages.ts)`);
  return stages.map((stage) => stage.build(deps));
}

/** Runs one call through `stages`: each one's `next` runs the rest. */
export function runStages(stages: readonly Stage[], call: CallContext): Promise<PipelineResult> {
  const step = (index: number): Promise<PipelineResult> => stages[index]!(call, () => step(index + 1));
  return step(0);
}
