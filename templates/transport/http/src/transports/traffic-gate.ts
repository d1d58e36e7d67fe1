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
import type { ServerResponse } from 'node:http';

import type { AuthInfo } from '@modelcontextprotocol/server';

import type { App } from '../app.js';
import { toAuthInfo, type Principal } from '../auth/principal.js';
import { withCallBudgets } from '../limits/call-budgets.js';
import { RequestBudget } from '../limits/request-budget.js';
import { seconds } from '../pipeline/rate-limit.js';
import { sendJsonRpcError } from './http-responses.js';

/**
 * Whether a request may go on: the AuthInfo to hand to the SDK handler, or `undefined` once the
 * refusal has been sent. `body`: the parsed JSON body, when there is one.
 */
export type TrafficGate = (principal: Principal, res: ServerResponse, body: unknown) => Promise<AuthInfo | undefined>;

export function createTrafficGate(app: App): TrafficGate {
  const budget = new RequestBudget(app.config.http.tenantRequestsPerMinute, app.limiterStore, app.metrics);
  const tools = new Map(app.tools.map((tool) => [tool.name, tool]));

  return async (principal, res, body) => {
    if (app.concurrency.saturated()) {
      app.metrics.rateLimited('in_flight', null, principal.tenantId);
      sendJsonRpcError(res, 503, -32000, `The server is at capacity. Retry in ${seconds(1)}.`, { 'Retry-After': '1' });
      return undefined;
    }
    const name = toolCalled(body);
    const tool = name === undefined ? undefined : tools.get(name);
    // Only a tool this tenant has: a call of any other never reaches the pipeline, so takes nothing of its budgets.
    const callBudgets = tool && app.rollout.isEnabled(tool.name, principal.tenantId) ? app.rateLimits.budgets(tool, principal) : [];
    const { request, call } = await budget.take(principal.tenantId, callBudgets);
    if (request.ok) return tool && call ? withCallBudgets(toAuthInfo(principal), tool.name, call) : toAuthInfo(principal);
    const retryAfter = String(request.retryAfterSeconds);
    if (request.unavailable) {
      sendJsonRpcError(res, 503, -32000, `Rate limiting is unavailable right now. Retry in ${seconds(request.retryAfterSeconds)}.`, { 'Retry-After': retryAfter });
    } else {
      sendJsonRpcError(res, 429, -32000, `Too many requests for this tenant. Retry in ${seconds(request.retryAfterSeconds)}.`, { 'Retry-After': retryAfter });
    }
    return undefined;
  };
}

/** The tool a single JSON-RPC tools/call request names (a batch is left to the pipeline). */
function toolCalled(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { method, params } = body as { method?: unknown; params?: { name?: unknown } };
  return method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined;
}
