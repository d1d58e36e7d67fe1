/**
 * Back-pressure at the HTTP door, after authentication and before the SDK sees the request:
 *
 *   429 + Retry-After  the tenant spent its request budget (RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE)
 *   503 + Retry-After  the process runs MAX_CALLS_IN_FLIGHT calls already, or the shared rate
 *                      limiter is unavailable (Redis down with RATE_LIMIT_FAILURE_MODE=closed)
 *
 * Well-behaved clients wait Retry-After seconds; tool calls that pass still meet their own
 * budgets in the pipeline, which answer with a result the model can read.
 */
import type { App } from '../app.js';
import type { Principal } from '../auth/principal.js';
import { RequestBudget } from '../limits/request-budget.js';
import { seconds } from '../pipeline/rate-limit.js';

/** Why a request may not go on: the answer to send, and the error code its tool calls are audited with. */
export interface TrafficRefusal {
  status: 429 | 503;
  message: string;
  retryAfterSeconds: number;
  errorCode: 'request_budget' | 'server_busy' | 'limiter_unavailable';
}

/** `undefined` when the request may go on. */
export type TrafficGate = (principal: Principal) => Promise<TrafficRefusal | undefined>;

export function createTrafficGate(app: App): TrafficGate {
  const budget = new RequestBudget(app.config.http.tenantRequestsPerMinute, app.limiterStore, app.metrics);
  return async (principal) => {
    if (app.concurrency.saturated()) {
      app.metrics.rateLimited('in_flight', null, principal.tenantId);
      return { status: 503, message: `The server is at capacity. Retry in ${seconds(1)}.`, retryAfterSeconds: 1, errorCode: 'server_busy' };
    }
    const taken = await budget.take(principal.tenantId);
    if (taken.ok) return undefined;
    const retryAfterSeconds = taken.retryAfterSeconds;
    return taken.unavailable
      ? { status: 503, message: `Rate limiting is unavailable right now. Retry in ${seconds(retryAfterSeconds)}.`, retryAfterSeconds, errorCode: 'limiter_unavailable' }
      : { status: 429, message: `Too many requests for this tenant. Retry in ${seconds(retryAfterSeconds)}.`, retryAfterSeconds, errorCode: 'request_budget' };
  };
}
