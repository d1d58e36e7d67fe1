/**
 * Concurrency caps (bulkheads): rate limits bound calls per minute, these bound calls running at
 * the same time, so slow handlers cannot pile up until memory or the backend pool runs out.
 *
 *   MAX_CALLS_IN_FLIGHT_PER_TENANT  one tenant cannot take every slot; counted in the shared
 *                                   state store (src/shared-state/), so with Redis or PostgreSQL
 *                                   the cap holds across every replica, each slot on a lease
 *                                   (CONCURRENCY_LEASE_SECONDS) that frees it if its replica dies
 *   MAX_CALLS_IN_FLIGHT             this process (the HTTP transport also sheds new requests with
 *                                   503 while it is full)
 *
 * No queue: a call over a cap is refused at once with a short retry hint, rather than waiting
 * for a slot while its client times out. While the shared store cannot be reached,
 * RATE_LIMIT_FAILURE_MODE decides, as for rate limits: `open` counts this process's calls only,
 * `closed` refuses calls as unavailable.
 */
import { BulkheadRejectedError, bulkhead, type BulkheadPolicy } from 'cockatiel';

import type { FailureMode } from './limiter-store.js';
import { MemorySlots } from '../shared-state/memory-state.js';
import { StateUnavailableError, type SlotLease, type TenantSlots } from '../shared-state/shared-state.js';

export interface ConcurrencySettings {
  perTenant: number;
  total: number;
}

export type Admitted<T> = { ok: true; value: T } | { ok: false; limit: 'tenant_concurrency' | 'in_flight' | 'unavailable' };

export class ConcurrencyLimits {
  private readonly process: BulkheadPolicy;
  /** Fail open: this process's own count while the shared store is down. */
  private readonly fallback = new MemorySlots();

  constructor(
    private readonly settings: ConcurrencySettings,
    private readonly tenantSlots: TenantSlots = new MemorySlots(),
    private readonly failureMode: FailureMode = 'open',
  ) {
    this.process = bulkhead(settings.total);
  }

  /** Calls running now in this process, across tenants. */
  inFlight(): number {
    return this.settings.total - this.process.executionSlots;
  }

  /** Whether the process has no slot left (the HTTP transport answers 503 meanwhile). */
  saturated(): boolean {
    return this.process.executionSlots === 0;
  }

  /** Runs `work` in a slot of the tenant and of the process, or says which cap is full. */
  async run<T>(tenantId: string, work: () => Promise<T>): Promise<Admitted<T>> {
    if (this.saturated()) return { ok: false, limit: 'in_flight' };
    let lease: SlotLease | undefined;
    try {
      lease = await this.tenantSlots.acquire(tenantId, this.settings.perTenant);
    } catch (error) {
      if (!(error instanceof StateUnavailableError)) throw error;
      if (this.failureMode === 'closed') return { ok: false, limit: 'unavailable' };
      lease = await this.fallback.acquire(tenantId, this.settings.perTenant);
    }
    if (!lease) return { ok: false, limit: 'tenant_concurrency' };
    try {
      return { ok: true, value: await this.process.execute(work) };
    } catch (error) {
      if (!(error instanceof BulkheadRejectedError)) throw error;
      return { ok: false, limit: 'in_flight' };
    } finally {
      lease.release();
    }
  }
}
