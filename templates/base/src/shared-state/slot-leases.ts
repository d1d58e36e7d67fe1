/**
 * The slots a replica holds in a shared store, renewed while their calls run. Each slot is stored
 * with a lease: if the replica dies, nobody renews it and it frees itself when the lease runs out
 * (CONCURRENCY_LEASE_SECONDS); a live replica renews every lease at a third of its length, so a
 * long call keeps its slot.
 */
import { randomBytes } from 'node:crypto';

import type { SlotLease, TenantSlots } from './shared-state.js';

export interface HeldSlot {
  tenantId: string;
  token: string;
}

/** The store's side: take, renew and free slots by token. */
export interface SlotBackend {
  /** Takes a slot for `token` unless `limit` unexpired slots of the tenant exist. */
  take(slot: HeldSlot, limit: number, leaseMs: number): Promise<boolean>;
  renew(slots: readonly HeldSlot[], leaseMs: number): Promise<void>;
  free(slot: HeldSlot): Promise<void>;
}

export class LeasedSlots implements TenantSlots {
  private readonly held = new Set<HeldSlot>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly backend: SlotBackend,
    private readonly leaseMs: number,
    /** A failed renewal or release: the lease frees the slot anyway; worth a log line. */
    private readonly onError: (error: unknown) => void,
  ) {}

  async acquire(tenantId: string, limit: number): Promise<SlotLease | undefined> {
    const slot: HeldSlot = { tenantId, token: randomBytes(12).toString('base64url') };
    if (!(await this.backend.take(slot, limit, this.leaseMs))) return undefined;
    this.held.add(slot);
    this.startRenewing();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held.delete(slot);
        if (this.held.size === 0) this.stopRenewing();
        // Not awaited: the caller's answer does not wait for the store; a lost release expires with the lease.
        this.backend.free(slot).catch(this.onError);
      },
    };
  }

  /** Stops renewing (shutdown): what is still held expires with its lease. */
  close(): void {
    this.stopRenewing();
  }

  private startRenewing(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.held.size > 0) this.backend.renew([...this.held], this.leaseMs).catch(this.onError);
    }, Math.max(250, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  private stopRenewing(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
