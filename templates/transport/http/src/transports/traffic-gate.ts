/**
 * Back-pressure at the HTTP door, after authentication and before the SDK handles the request:
 *
 *   429 + Retry-After  the tenant spent its request budget (RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE)
 *   503 + Retry-After  the process runs MAX_CALLS_IN_FLIGHT calls already, or the shared rate
 *                      limiter is unavailable (Redis down with RATE_LIMIT_FAILURE_MODE=closed)
 *
 * For a tools/call of a tool the tenant has, the call's own budgets (tenant, tool, client) are
 * taken in the same round trip as the request budget; their answer rides with the request to the
 * pipeline, which reports a spent one as a result the model can read. Well-behaved clients wait
 * Retry-After seconds.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';

import type { App } from '../app.js';
import { toAuthInfo, type Principal } from '../auth/principal.js';
import { withCallBudgets } from '../limits/call-budgets.js';
import { RequestBudget } from '../limits/request-budget.js';
import type { AnyTool } from '../tool-model/define-tool.js';
import { seconds } from '../pipeline/rate-limit.js';

/** Why a request may not go on: the answer to send, and the error code its tool calls are audited with. */
export interface TrafficRefusal {
  status: 429 | 503;
  message: string;
  retryAfterSeconds: number;
  errorCode: 'request_budget' | 'server_busy' | 'limiter_unavailable';
}

/** Admitted: the AuthInfo to hand to the SDK handler (with the call's budgets); or the refusal to send. */
export type Admission = { admitted: AuthInfo; refusal?: undefined } | { admitted?: undefined; refusal: TrafficRefusal };

/**
 * `called`: the tool a single tools/call request names, when this tenant has it (a batch, or any
 * other request, takes the request budget alone: its calls' budgets are the pipeline's).
 */
export type TrafficGate = (principal: Principal, called: AnyTool | undefined) => Promise<Admission>;

export function createTrafficGate(app: App): TrafficGate {
  const budget = new RequestBudget(app.config.http.tenantRequestsPerMinute, app.limiterStore, app.metrics);

  return async (principal, called) => {
    if (app.concurrency.saturated()) {
      app.metrics.rateLimited('in_flight', null, principal.tenantId);
      return { refusal: { status: 503, message: `The server is at capacity. Retry in ${seconds(1)}.`, retryAfterSeconds: 1, errorCode: 'server_busy' } };
    }
    const callBudgets = called ? app.rateLimits.budgets(called, principal) : [];
    const { request, call } = await budget.take(principal.tenantId, callBudgets);
    if (request.ok) return { admitted: called && call ? withCallBudgets(toAuthInfo(principal), called.name, call) : toAuthInfo(principal) };
    const retryAfterSeconds = request.retryAfterSeconds;
    return {
      refusal: request.unavailable
        ? { status: 503, message: `Rate limiting is unavailable right now. Retry in ${seconds(retryAfterSeconds)}.`, retryAfterSeconds, errorCode: 'limiter_unavailable' }
        : { status: 429, message: `Too many requests for this tenant. Retry in ${seconds(retryAfterSeconds)}.`, retryAfterSeconds, errorCode: 'request_budget' },
    };
  };
}

