/**
 * Back-pressure at the HTTP door, after authentication and before the SDK parses the request:
 *
 *   429 + Retry-After  the tenant spent its request budget (RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE)
 *   503 + Retry-After  the process runs MAX_CALLS_IN_FLIGHT calls already, or the shared rate
 *                      limiter is unavailable (Redis down with RATE_LIMIT_FAILURE_MODE=closed)
 *
 * Well-behaved clients wait Retry-After seconds; tool calls that pass still meet their own
 * budgets in the pipeline, which answer with a result the model can read.
 */
import type { ServerResponse } from 'node:http';

import type { App } from '../app.js';
import type { Principal } from '../auth/principal.js';
import { RequestBudget } from '../limits/request-budget.js';
import { seconds } from '../pipeline/rate-limit.js';
import { sendJsonRpcError } from './http-responses.js';

/** Whether a request may go on; when not, the answer has been sent. */
export type TrafficGate = (principal: Principal, res: ServerResponse) => Promise<boolean>;

export function createTrafficGate(app: App): TrafficGate {
  const budget = new RequestBudget(app.config.http.tenantRequestsPerMinute, app.limiterStore, app.metrics);
  return (principal, res) => admit(app, budget, principal, res);
}

async function admit(app: App, budget: RequestBudget, principal: Principal, res: ServerResponse): Promise<boolean> {
  if (app.concurrency.saturated()) {
    app.metrics.rateLimited('in_flight', null, principal.tenantId);
    sendJsonRpcError(res, 503, -32000, `The server is at capacity. Retry in ${seconds(1)}.`, { 'Retry-After': '1' });
    return false;
  }
  const taken = await budget.take(principal.tenantId);
  if (taken.ok) return true;
  const retryAfter = String(taken.retryAfterSeconds);
  if (taken.unavailable) {
    sendJsonRpcError(res, 503, -32000, `Rate limiting is unavailable right now. Retry in ${seconds(taken.retryAfterSeconds)}.`, { 'Retry-After': retryAfter });
  } else {
    sendJsonRpcError(res, 429, -32000, `Too many requests for this tenant. Retry in ${seconds(taken.retryAfterSeconds)}.`, { 'Retry-After': retryAfter });
  }
  return false;
}
