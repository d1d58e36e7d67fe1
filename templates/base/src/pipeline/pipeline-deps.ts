/** What the pipeline's stages are built from: made once per process by app.ts. */
import type { Backends } from '../backends/index.js';
import type { ConcurrencyLimits } from '../limits/concurrency.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Tracing } from '../observability/tracing.js';
import type { Redactor } from '../redaction/redactor.js';
import type { ApprovalDeps } from './approve.js';
import type { AuditLog } from './audit.js';
import type { CallLifecycle } from './call-lifecycle.js';
import type { ClientMessageSettings } from './client-messages.js';
import type { InputStates } from './input-states.js';
import type { RateLimits } from './rate-limit.js';
import type { ResponseBudget } from './response-budget.js';
import type { ResponseCache } from './response-cache.js';
import type { ToolRollout } from './tool-rollout.js';

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
  /** Handlers' messages to the client: redacted, and nothing below CLIENT_LOG_LEVEL. */
  clientMessages: ClientMessageSettings;
  /** Seals and opens the state handlers carry between the rounds of a call (ctx.input.ask). */
  inputStates: InputStates;
  /** REDACT_TOOL_OUTPUT=true: redact results before the model sees them. */
  outputRedactor?: Redactor | undefined;
}

/** The stages get the pipeline's own lifecycle too: calls in flight, shutdown, handler signals. */
export interface StageDeps extends PipelineDeps {
  lifecycle: CallLifecycle;
}
