/**
 * Stage after validation: the tenant-scoped response cache. A read tool that declares
 * `cache: { ttlSeconds }` has each successful answer kept per tenant + tool (and version) +
 * canonical arguments; the same call of the same tenant within the TTL gets it without running
 * the handler. It is a stage like the others, so a hit has passed authorization, the rate
 * limits and validation first, and is audited (`cache: "hit"`) and counted like any call.
 *
 * Never across tenants: the tenant is part of every key (and checked again on read), and it
 * comes from the credential, never from arguments. A write tool of the same tenant that ran
 * drops the tenant's entries of the backends it called (src/cache/response-store.ts), on every
 * replica when the entries are in Redis.
 */
import { createHash } from 'node:crypto';

import { canonicalJson } from '../approvals/call-fingerprint.js';
import type { Principal } from '../auth/principal.js';
import type { BackendCall } from '../backends/backend-scope.js';
import type { Generations, ResponseStore } from '../cache/response-store.js';
import type { Metrics } from '../observability/metrics.js';
import type { AnyTool } from '../tool-model/define-tool.js';
import type { PipelineResult } from './results.js';

export interface CacheSettings {
  /** RESPONSE_CACHE_ENABLED=false turns every tool's cache off (e.g. while investigating stale answers). */
  enabled: boolean;
}

/** A lookup's answer: the cached result, or what the call stores its own answer with. */
export type CacheLookup = { hit: PipelineResult } | { hit?: undefined; key: string; generations: Generations | undefined };

export class ResponseCache {
  constructor(
    private readonly settings: CacheSettings,
    private readonly store: ResponseStore,
    private readonly metrics: Metrics,
  ) {}

  get kind(): ResponseStore['kind'] {
    return this.store.kind;
  }

  /** Whether calls of `tool` are cached. */
  caches(tool: AnyTool): boolean {
    return this.settings.enabled && tool.access === 'read' && tool.cache !== undefined;
  }

  /** For a cached tool: its answer if a fresh one is stored, otherwise where to store the one it computes. */
  async lookup(tool: AnyTool, principal: Principal, input: Record<string, unknown>): Promise<CacheLookup> {
    // Key order does not matter ({b:1,a:2} is {a:2,b:1}); the input is the validated one, so an
    // omitted default and an explicit one are the same call.
    const key = `${principal.tenantId}\u0000${tool.name}\u0000${tool.version}\u0000${canonicalJson(input)}`;
    const storeKey = `cache:${encodeURIComponent(principal.tenantId)}:${tool.name}:${createHash('sha256').update(key).digest('base64url')}`;
    const found = await this.store.lookup(storeKey, principal.tenantId);
    this.metrics.cacheLookup(tool.name, found.hit ? 'hit' : 'miss');
    if (found.hit) {
      const { result, truncated } = found.hit;
      return { hit: { outcome: 'ok', errorCode: null, result: structuredClone(result), cache: 'hit', ...(truncated ? { truncated } : {}) } };
    }
    return { key: storeKey, generations: found.generations };
  }

  /** Keeps a successful answer of a cached tool, tagged with the backends it came from. */
  async remember(tool: AnyTool, principal: Principal, lookup: Exclude<CacheLookup, { hit: PipelineResult }>, outcome: PipelineResult, backendCalls: readonly BackendCall[]): Promise<void> {
    if (outcome.outcome !== 'ok' || !lookup.generations || !tool.cache) return;
    await this.store.store(
      lookup.key,
      {
        tenant: principal.tenantId,
        result: outcome.result,
        ...(outcome.truncated ? { truncated: true } : {}),
        tags: [...new Set(backendCalls.map((call) => call.backend))].sort(),
        generations: lookup.generations,
      },
      tool.cache.ttlSeconds,
    );
  }

  /**
   * After a write tool: drops the tenant's cached answers of the backends it called, when it
   * succeeded or got as far as calling a backend (a failed write may still have changed data).
   * Returns whether it did.
   */
  async afterWrite(tool: AnyTool, principal: Principal, outcome: PipelineResult, backendCalls: readonly BackendCall[]): Promise<boolean> {
    if (!this.settings.enabled || tool.access !== 'write') return false;
    if (outcome.outcome !== 'ok' && backendCalls.length === 0) return false;
    const backends = [...new Set(backendCalls.map((call) => call.backend))];
    await this.store.invalidate(principal.tenantId, backends.length > 0 ? backends : undefined);
    this.metrics.cacheInvalidated(tool.name);
    return true;
  }
}
