/**
 * Rate limits (stage `rate-limit`, stages.ts). Three per-minute budgets, all taken for every call:
 *
 *   tenant         RATE_LIMIT_TENANT_PER_MINUTE   one noisy tenant cannot starve the others
 *   tenant + tool  RATE_LIMIT_TOOL_PER_MINUTE     one runaway agent loop on one tool (a tool's
 *                                                 own `rateLimit` overrides it)
 *   tenant + client RATE_LIMIT_CLIENT_PER_MINUTE  one credential / OAuth client within a tenant
 *
 * Taken together (all three or none), in memory or in Redis with REDIS_URL so every replica
 * shares them (src/limits/limiter-store.ts). Over HTTP the transport takes them already, in the
 * same Redis round trip as the request budget, and hands the answer over (CallRequest.budgets).
 * A spent budget is a `rate_limited` result saying how many seconds to wait, which the model can
 * act on.
 */
import type { Principal } from '../auth/principal.js';
import { type Budget, type LimiterStore, type Taken } from '../limits/limiter-store.js';
import type { Metrics } from '../observability/metrics.js';
import type { Governed } from '../tool-model/governed.js';
import { errorResult, type PipelineResult } from './results.js';

export interface RateLimitSettings {
  tenantPerMinute: number;
  toolPerMinute: number;
  clientPerMinute: number;
}

export class RateLimits {
  constructor(
    private readonly settings: RateLimitSettings,
    private readonly store: LimiterStore,
    private readonly metrics?: Metrics,
  ) {}

  /** The call's budgets: tenant, tenant + tool, tenant + client (in that order). */
  budgets(tool: Governed, principal: Principal): Budget[] {
    const tenant = principal.tenantId;
    return [
      { name: 'tenant', key: tenant, points: this.settings.tenantPerMinute },
      { name: `tool:${tool.name}`, key: tenant, points: tool.rateLimit?.perMinute ?? this.settings.toolPerMinute },
      { name: 'client', key: `${tenant}:${principal.clientId}`, points: this.settings.clientPerMinute },
    ];
  }

  /**
   * `undefined` when the call may proceed, else the rate_limited result to return instead.
   * `taken`: the budgets were already taken for this call (by the HTTP transport), with this answer;
   * `routed`: for the tool the call was routed from (CallRequest.routedFrom).
   */
  async check(tool: Governed, principal: Principal, taken?: Taken, routed = false): Promise<PipelineResult | undefined> {
    let answer = taken ?? (await this.store.take([this.budgets(tool, principal)]))[0]!;
    if (routed && taken?.ok) {
      // A routed call (an API catalog's call_operation): the transport took the tenant and
      // client budgets with the catalog tool's; the operation's own budget is taken here.
      const own = (await this.store.take([[this.budgets(tool, principal)[1]!]]))[0]!;
      answer = own.ok || own.unavailable ? own : { ...own, over: [false, ...own.over] };
    }
    if (answer.ok) return undefined;
    const tenant = principal.tenantId;
    const wait = answer.retryAfterSeconds;
    if (answer.unavailable) {
      this.metrics?.rateLimited('unavailable', tool.name, tenant);
      return errorResult('rate_limited', 'limiter_unavailable', `Rate limiting is unavailable right now, so calls are paused. Retry in ${seconds(wait)}.`);
    }
    const [byTenant, byTool] = answer.over;
    if (byTenant) {
      this.metrics?.rateLimited('tenant', tool.name, tenant);
      return errorResult('rate_limited', 'rate_limited', `Too many calls for this tenant. Retry in ${seconds(wait)}.`);
    }
    if (byTool) {
      this.metrics?.rateLimited('tool', tool.name, tenant);
      return errorResult('rate_limited', 'rate_limited', `Too many calls to ${tool.name} for this tenant. Retry in ${seconds(wait)}.`);
    }
    this.metrics?.rateLimited('client', tool.name, tenant);
    return errorResult('rate_limited', 'rate_limited', `Too many calls from this client (${principal.clientId}). Retry in ${seconds(wait)}.`);
  }
}

/** `1 second`, `30 seconds`. */
export function seconds(count: number): string {
  return `${count} second${count === 1 ? '' : 's'}`;
}
