/**
 * What every replica must agree on, in one store: calls parked for a human approver, the
 * one-use markers of client confirmations, and each tenant's calls in flight. With it, any
 * replica can answer any request: a call parked on one is listed, granted and completed on the
 * others, a confirmation is used once in total, and MAX_CALLS_IN_FLIGHT_PER_TENANT holds across
 * replicas.
 *
 *   redis     REDIS_URL is set (src/shared-state/redis-state.ts): atomic scripts, keys under
 *             REDIS_KEY_PREFIX
 *   postgres  the postgres backend on a PostgreSQL server (DATABASE_URL) and no REDIS_URL: the
 *             tables of db/migrations/0004_shared_state.sql
 *   memory    neither: this process only (a single replica); the server warns at start when it
 *             listens on a non-loopback address
 *
 * A store that cannot be reached throws StateUnavailableError: approvals then answer
 * `unavailable`, and concurrency caps follow RATE_LIMIT_FAILURE_MODE (src/limits/concurrency.ts).
 */
import type { Approval, ApprovalStatus } from '../approvals/approval.js';

export type SharedStateKind = 'memory' | 'redis' | 'postgres';

export interface SharedState {
  readonly kind: SharedStateKind;
  readonly approvals: ApprovalRecords;
  readonly confirmations: OneUseMarkers;
  readonly slots: TenantSlots;
  /** Whether the store answers within `timeoutMs` (for /readyz). */
  ping(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** What a shared store needs besides its connection. */
export interface SharedStateOptions {
  /** How long a slot outlives a replica that stopped renewing it (CONCURRENCY_LEASE_SECONDS), ms. */
  leaseMs: number;
  /** A background renewal or release that failed (the lease covers it): for a log line. */
  onError: (error: unknown) => void;
}

/** The store could not be asked (down, timed out): nothing was decided. */
export class StateUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the shared state store is unavailable', { cause });
    this.name = 'StateUnavailableError';
  }
}

/** Runs `work`, turning any failure of the store into StateUnavailableError. */
export async function orUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof StateUnavailableError ? error : new StateUnavailableError(error);
  }
}

/**
 * Approval records as stored: the store keeps them and changes a status atomically; what the
 * statuses mean (expiry, who may decide) is src/approvals/pending-approvals.ts.
 */
export interface ApprovalRecords {
  /**
   * Stores `approval` unless its tenant already has `maxPending` approvals pending and unexpired
   * at `now` (checked and stored in one atomic step); false when refused. Records are kept until
   * `retainUntil` (ms), so a late caller learns "expired" or "used" rather than "not found".
   */
  insert(approval: Approval, maxPending: number, now: number, retainUntil: number): Promise<boolean>;
  /** The record, whatever its status; `undefined` if unknown or of another tenant. */
  get(tenantId: string, id: string): Promise<Approval | undefined>;
  /** The tenant's records still kept, newest first. */
  list(tenantId: string): Promise<Approval[]>;
  /**
   * Replaces the record with `next` only if its stored status is still `from` and it has not
   * expired at `now`: the compare-and-set every decision and every use goes through, so of two
   * replicas deciding or redeeming at once exactly one succeeds. Returns whether it did.
   */
  transition(next: Approval, from: Extract<ApprovalStatus, 'pending' | 'granted'>, now: number): Promise<boolean>;
  /** Every tenant's records pending and unexpired at `now`: how many, and the earliest expiry among them (ms). */
  pendingSummary(now: number): Promise<{ pending: number; oldestExpiresAt: number | undefined }>;
}

export interface OneUseMarkers {
  /** Marks `id` used until `expiresAt` (ms); false when it was already marked (a replay). */
  claim(id: string, expiresAt: number): Promise<boolean>;
}

/** A held slot: released once, by whoever took it. */
export interface SlotLease {
  release(): void;
}

export interface TenantSlots {
  /**
   * Takes one of the tenant's `limit` slots, or `undefined` when all are taken. A slot held by a
   * replica that died is free again once its lease (CONCURRENCY_LEASE_SECONDS) runs out; a live
   * replica renews the leases of its running calls.
   */
  acquire(tenantId: string, limit: number): Promise<SlotLease | undefined>;
}
