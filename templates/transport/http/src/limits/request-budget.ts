/**
 * The HTTP request budget of each tenant (RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE): every MCP
 * request counts, whatever its method (tools/list, tools/call, server/discover…). Over it, the
 * HTTP transport answers 429 with Retry-After before the MCP handler runs, so a client in a
 * loop is slowed cheaply (its tool calls are still audited). Tool calls also have their own budgets, checked in the
 * pipeline (src/pipeline/rate-limit.ts), which answer with a tool result the model can read.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

import type { Metrics } from '../observability/metrics.js';
import { take, type LimiterStore, type Taken } from './limiter-store.js';

export class RequestBudget {
  private readonly perTenant: RateLimiterAbstract;

  constructor(
    requestsPerMinute: number,
    store: LimiterStore,
    private readonly metrics?: Metrics,
  ) {
    this.perTenant = store.limiter('requests', requestsPerMinute);
  }

  /** Takes one request from the tenant's budget. */
  async take(tenantId: string): Promise<Taken> {
    const taken = await take(this.perTenant, tenantId);
    if (!taken.ok) this.metrics?.rateLimited(taken.unavailable ? 'unavailable' : 'tenant_requests', null, tenantId);
    return taken;
  }
}
