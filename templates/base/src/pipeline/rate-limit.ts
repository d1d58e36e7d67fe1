/**
 * Stage 2: rate limit. Three per-minute budgets, all taken for every call:
 *
 *   tenant         RATE_LIMIT_TENANT_PER_MINUTE   one noisy tenant cannot starve the others
 *   tenant + tool  RATE_LIMIT_TOOL_PER_MINUTE     one runaway agent loop on one tool (a tool's
 *                                                 own `rateLimit` overrides it)
 *   tenant + client RATE_LIMIT_CLIENT_PER_MINUTE  one credential / OAuth client within a tenant
 *
 * Counters live in memory, or in Redis with REDIS_URL so every replica shares them
 * (src/limits/limiter-store.ts). A spent budget is a `rate_limited` result saying how many
 * seconds to wait, which the model can act on.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

import type { Principal } from '../auth/principal.js';
import { take, type LimiterStore, type Taken } from '../limits/limiter-store.js';
import type { Metrics } from '../observability/metrics.js';
import type { AnyTool } from './define-tool.js';
import { errorResult, type PipelineResult } from './results.js';

export interface RateLimitSettings {
  tenantPerMinute: number;
  toolPerMinute: number;
  clientPerMinute: number;
}

export class RateLimits {
  private readonly perTenant: RateLimiterAbstract;
  private readonly perClient: RateLimiterAbstract;
  private readonly perTool = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly settings: RateLimitSettings,
    tools: readonly AnyTool[],
    private readonly store: LimiterStore,
    private readonly metrics?: Metrics,
  ) {
    this.perTenant = store.limiter('tenant', settings.tenantPerMinute);
    this.perClient = store.limiter('client', settings.clientPerMinute);
    for (const tool of tools) this.limiterFor(tool);
  }

  /** `undefined` when the call may proceed, else the rate_limited result to return instead. */
  async check(tool: AnyTool, principal: Principal): Promise<PipelineResult | undefined> {
    const tenant = principal.tenantId;
    // In parallel: with Redis, one round trip instead of three.
    const [byTenant, byTool, byClient] = await Promise.all([
      take(this.perTenant, tenant),
      take(this.limiterFor(tool), tenant),
      take(this.perClient, `${tenant}:${principal.clientId}`),
    ]);
    if (byTenant.ok && byTool.ok && byClient.ok) return undefined;

    const refused = [byTenant, byTool, byClient].filter((taken): taken is Exclude<Taken, { ok: true }> => !taken.ok);
    // Every refusing budget must have a point again before a retry can pass.
    const wait = Math.max(...refused.map((taken) => taken.retryAfterSeconds));
    if (refused.some((taken) => taken.unavailable)) {
      this.metrics?.rateLimited('unavailable', tool.name, tenant);
      return errorResult('rate_limited', 'limiter_unavailable', `Rate limiting is unavailable right now, so calls are paused. Retry in ${seconds(wait)}.`);
    }
    if (!byTenant.ok) {
      this.metrics?.rateLimited('tenant', tool.name, tenant);
      return errorResult('rate_limited', 'rate_limited', `Too many calls for this tenant. Retry in ${seconds(wait)}.`);
    }
    if (!byTool.ok) {
      this.metrics?.rateLimited('tool', tool.name, tenant);
      return errorResult('rate_limited', 'rate_limited', `Too many calls to ${tool.name} for this tenant. Retry in ${seconds(wait)}.`);
    }
    this.metrics?.rateLimited('client', tool.name, tenant);
    return errorResult('rate_limited', 'rate_limited', `Too many calls from this client (${principal.clientId}). Retry in ${seconds(wait)}.`);
  }

  private limiterFor(tool: AnyTool): RateLimiterAbstract {
    let limiter = this.perTool.get(tool.name);
    if (!limiter) {
      const points = tool.rateLimit?.perMinute ?? this.settings.toolPerMinute;
      limiter = this.store.limiter(`tool:${tool.name}`, points);
      this.perTool.set(tool.name, limiter);
    }
    return limiter;
  }
}

/** `1 second`, `30 seconds`. */
export function seconds(count: number): string {
  return `${count} second${count === 1 ? '' : 's'}`;
}
