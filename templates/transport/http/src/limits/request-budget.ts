/**
 * The HTTP request budget of each tenant (RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE): every MCP
 * request counts, whatever its method (tools/list, tools/call, server/discover…). Over it, the
 * HTTP transport answers 429 with Retry-After before the SDK parses the request, so a client in a
 * loop is slowed at the cheapest point (its tool calls are still audited). Tool calls also have their own budgets
 * (src/pipeline/rate-limit.ts), which answer with a tool result the model can read: for a
 * tools/call both are taken together, in one round trip to the store (src/limits/limiter-store.ts).
 */
import type { Metrics } from '../observability/metrics.js';
import type { Budget, LimiterStore, Taken } from './limiter-store.js';

export class RequestBudget {
  constructor(
    private readonly requestsPerMinute: number,
    private readonly store: LimiterStore,
    private readonly metrics?: Metrics,
  ) {}

  /**
   * Takes one request from the tenant's budget and, when it was taken, one point of each of
   * `callBudgets` (all or none). Resolves to the request's answer and the call's.
   */
  async take(tenantId: string, callBudgets: readonly Budget[] = []): Promise<{ request: Taken; call: Taken | undefined }> {
    const request: Budget = { name: 'requests', key: tenantId, points: this.requestsPerMinute };
    const [taken, call] = await this.store.take(callBudgets.length > 0 ? [[request], callBudgets] : [[request]]);
    if (!taken!.ok) this.metrics?.rateLimited(taken!.unavailable ? 'unavailable' : 'tenant_requests', null, tenantId);
    return { request: taken!, call: taken!.ok ? call : undefined };
  }
}
