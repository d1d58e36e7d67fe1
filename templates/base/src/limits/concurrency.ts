/**
 * Concurrency caps (bulkheads), per process: rate limits bound calls per minute, these bound
 * calls running at the same time, so slow handlers cannot pile up until memory or the backend
 * pool runs out.
 *
 *   MAX_CALLS_IN_FLIGHT_PER_TENANT  one tenant cannot take every slot
 *   MAX_CALLS_IN_FLIGHT             the whole process (the HTTP transport also sheds new
 *                                   requests with 503 while it is full)
 *
 * No queue: a call over a cap is refused at once with a short retry hint, rather than waiting
 * for a slot while its client times out.
 */
import { BulkheadRejectedError, bulkhead, type BulkheadPolicy } from 'cockatiel';

export interface ConcurrencySettings {
  perTenant: number;
  total: number;
}

export type Admitted<T> = { ok: true; value: T } | { ok: false; limit: 'tenant_concurrency' | 'in_flight' };

export class ConcurrencyLimits {
  private readonly process: BulkheadPolicy;
  private readonly tenants = new Map<string, BulkheadPolicy>();

  constructor(private readonly settings: ConcurrencySettings) {
    this.process = bulkhead(settings.total);
  }

  /** Calls running now, across tenants. */
  inFlight(): number {
    return this.settings.total - this.process.executionSlots;
  }

  /** Whether the process has no slot left (the HTTP transport answers 503 meanwhile). */
  saturated(): boolean {
    return this.process.executionSlots === 0;
  }

  /** Runs `work` in a slot of the tenant and of the process, or says which cap is full. */
  async run<T>(tenantId: string, work: () => Promise<T>): Promise<Admitted<T>> {
    const tenant = this.tenantBulkhead(tenantId);
    let admittedByTenant = false;
    try {
      const value = await tenant.execute(() => {
        admittedByTenant = true;
        return this.process.execute(work);
      });
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof BulkheadRejectedError)) throw error;
      return { ok: false, limit: admittedByTenant ? 'in_flight' : 'tenant_concurrency' };
    } finally {
      // Idle tenants hold no memory: forget the bulkhead once its last call is done.
      if (tenant.executionSlots === this.settings.perTenant) this.tenants.delete(tenantId);
    }
  }

  private tenantBulkhead(tenantId: string): BulkheadPolicy {
    let policy = this.tenants.get(tenantId);
    if (!policy) {
      policy = bulkhead(this.settings.perTenant);
      this.tenants.set(tenantId, policy);
    }
    return policy;
  }
}
