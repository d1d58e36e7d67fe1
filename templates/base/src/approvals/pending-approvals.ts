/**
 * Approval `human`: calls parked until an approver other than the caller grants or denies them.
 *
 * Kept in the shared state store (src/shared-state/): with Redis or PostgreSQL every replica
 * sees every approval, so a call parked on one replica is listed, granted and completed on any
 * other; in memory, only this process does. An approval is bound to one tenant, one caller, one
 * tool version and one exact set of arguments, and runs the call once: deciding and using are
 * compare-and-set steps in the store, so of two replicas racing exactly one wins.
 *
 * The store unreachable: every method rejects with StateUnavailableError (the caller answers
 * `unavailable`), and nothing is decided.
 */
import { randomBytes } from 'node:crypto';

import type { Principal } from '../auth/principal.js';
import { StateUnavailableError, type ApprovalRecords } from '../shared-state/shared-state.js';
import type { Approval } from './approval.js';

export type { Approval, ApprovalStatus, Party } from './approval.js';

export interface ApprovalSettings {
  ttlSeconds: number;
  maxPendingPerTenant: number;
}

export type DecideResult = { ok: true; approval: Approval } | { ok: false; reason: 'not_found' | 'not_pending' | 'self_approval'; approval?: Approval };
export type RedeemResult =
  | { ok: true; approval: Approval }
  | { ok: false; reason: 'not_found' | 'pending' | 'denied' | 'used' | 'expired' | 'mismatch'; approval?: Approval };

export class PendingApprovals {
  constructor(
    private readonly settings: ApprovalSettings,
    private readonly records: ApprovalRecords,
    private readonly now: () => number = Date.now,
  ) {}

  /** Parks a call; `undefined` when the tenant already has as many pending approvals as allowed. */
  async request(caller: Principal, tool: { name: string; version: string }, fingerprint: string, args: Record<string, unknown>): Promise<Approval | undefined> {
    const now = this.now();
    const ttlMs = this.settings.ttlSeconds * 1000;
    const approval: Approval = {
      id: `apr_${randomBytes(16).toString('base64url')}`,
      tenantId: caller.tenantId,
      tool: tool.name,
      toolVersion: tool.version,
      fingerprint,
      arguments: args,
      requestedBy: { subject: caller.subject, clientId: caller.clientId },
      requestedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ttlMs).toISOString(),
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      reason: null,
    };
    // Kept one TTL past its expiry, so a late caller learns "expired" rather than "not found".
    const stored = await this.records.insert(approval, this.settings.maxPendingPerTenant, now, now + 2 * ttlMs);
    return stored ? approval : undefined;
  }

  /** One approval of `tenantId`; another tenant's id is as unknown as a made-up one. */
  async get(tenantId: string, id: string): Promise<Approval | undefined> {
    const approval = await this.records.get(tenantId, id);
    return approval && this.asOfNow(approval);
  }

  /** Every approval of `tenantId` the store still keeps, newest first. */
  async list(tenantId: string): Promise<Approval[]> {
    return (await this.records.list(tenantId)).map((approval) => this.asOfNow(approval));
  }

  /** An approver of the same tenant, who is not the caller, grants or denies a pending call. */
  async decide(id: string, approver: Principal, decision: 'grant' | 'deny', reason?: string): Promise<DecideResult> {
    const approval = await this.get(approver.tenantId, id);
    if (!approval) return { ok: false, reason: 'not_found' };
    if (approval.status !== 'pending') return { ok: false, reason: 'not_pending', approval };
    if (approval.requestedBy.subject === approver.subject) return { ok: false, reason: 'self_approval', approval };
    const now = this.now();
    const decided: Approval = {
      ...approval,
      status: decision === 'grant' ? 'granted' : 'denied',
      decidedBy: { subject: approver.subject, clientId: approver.clientId },
      decidedAt: new Date(now).toISOString(),
      reason: reason ?? null,
    };
    if (await this.records.transition(decided, 'pending', now)) return { ok: true, approval: decided };
    // Another approver (on any replica) decided first, or it expired meanwhile.
    return { ok: false, reason: 'not_pending', approval: (await this.get(approver.tenantId, id)) ?? approval };
  }

  /**
   * The caller calls again with the id: a granted approval for exactly this call runs it, once.
   * Marked used by a compare-and-set in the store, so concurrent retries on any replicas cannot
   * both run.
   */
  async redeem(id: string, caller: Principal, fingerprint: string): Promise<RedeemResult> {
    const approval = await this.get(caller.tenantId, id);
    if (!approval) return { ok: false, reason: 'not_found' };
    if (approval.requestedBy.subject !== caller.subject || approval.fingerprint !== fingerprint) {
      return { ok: false, reason: 'mismatch', approval };
    }
    if (approval.status !== 'granted') return { ok: false, reason: approval.status, approval };
    const used: Approval = { ...approval, status: 'used' };
    if (await this.records.transition(used, 'granted', this.now())) return { ok: true, approval: used };
    const now = (await this.get(caller.tenantId, id)) ?? { ...approval, status: 'used' as const };
    return { ok: false, reason: now.status === 'granted' ? 'used' : now.status, approval: now };
  }

  /**
   * How many calls of every tenant wait for a decision now, and how long the oldest has waited
   * (the approvals gauges). Read from the shared store, so every replica reports the same; while
   * the store is unreachable, `undefined` (readiness reports that).
   */
  async summary(): Promise<{ pending: number; oldestPendingSeconds: number } | undefined> {
    const now = this.now();
    try {
      const { pending, oldestExpiresAt } = await this.records.pendingSummary(now);
      // An approval expires ttlSeconds after it was requested: the oldest expiry dates the oldest request.
      const oldestRequestedAt = oldestExpiresAt === undefined ? now : oldestExpiresAt - this.settings.ttlSeconds * 1000;
      return { pending, oldestPendingSeconds: Math.max(0, (now - oldestRequestedAt) / 1000) };
    } catch (error) {
      if (error instanceof StateUnavailableError) return undefined;
      throw error;
    }
  }

  /** Pending or granted past its expiry reads as `expired` (the store keeps the last status it was given). */
  private asOfNow(approval: Approval): Approval {
    if ((approval.status === 'pending' || approval.status === 'granted') && Date.parse(approval.expiresAt) <= this.now()) {
      return { ...approval, status: 'expired' };
    }
    return approval;
  }
}
