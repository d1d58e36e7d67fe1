/**
 * Approval `human`: calls parked until an approver other than the caller grants or denies them.
 *
 * Held in this process's memory: a restart forgets every pending approval (callers then ask
 * again), and with several replicas an approval lives on the replica that parked it (see
 * RUNBOOK.md). An approval is bound to one tenant, one caller, one tool version and one exact set
 * of arguments, and runs the call once.
 */
import { randomBytes } from 'node:crypto';

import type { Principal } from '../auth/principal.js';

export type ApprovalStatus = 'pending' | 'granted' | 'denied' | 'used' | 'expired';

export interface Party {
  subject: string;
  clientId: string;
}

export interface Approval {
  /** `apr_` + 128 random bits: what the caller calls again with, and what the approver names. */
  id: string;
  tenantId: string;
  tool: string;
  toolVersion: string;
  /** callFingerprint() of the tool and arguments: only that exact call can use the approval. */
  fingerprint: string;
  /** The validated arguments, for the approver to read. */
  arguments: Record<string, unknown>;
  requestedBy: Party;
  requestedAt: string;
  /** After this, the approval can neither be decided nor used. */
  expiresAt: string;
  status: ApprovalStatus;
  decidedBy: Party | null;
  decidedAt: string | null;
  /** The approver's note, shown to the caller on a denial. */
  reason: string | null;
}

export interface ApprovalSettings {
  ttlSeconds: number;
  maxPendingPerTenant: number;
}

export type DecideResult = { ok: true; approval: Approval } | { ok: false; reason: 'not_found' | 'not_pending' | 'self_approval'; approval?: Approval };
export type RedeemResult =
  | { ok: true; approval: Approval }
  | { ok: false; reason: 'not_found' | 'pending' | 'denied' | 'used' | 'expired' | 'mismatch'; approval?: Approval };

export class PendingApprovals {
  private readonly byId = new Map<string, Approval>();

  constructor(
    private readonly settings: ApprovalSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Parks a call; `undefined` when the tenant already has as many pending approvals as allowed. */
  request(caller: Principal, tool: { name: string; version: string }, fingerprint: string, args: Record<string, unknown>): Approval | undefined {
    this.sweep();
    const pending = [...this.byId.values()].filter((each) => each.tenantId === caller.tenantId && each.status === 'pending');
    if (pending.length >= this.settings.maxPendingPerTenant) return undefined;
    const now = this.now();
    const approval: Approval = {
      id: `apr_${randomBytes(16).toString('base64url')}`,
      tenantId: caller.tenantId,
      tool: tool.name,
      toolVersion: tool.version,
      fingerprint,
      arguments: args,
      requestedBy: { subject: caller.subject, clientId: caller.clientId },
      requestedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.settings.ttlSeconds * 1000).toISOString(),
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      reason: null,
    };
    this.byId.set(approval.id, approval);
    return approval;
  }

  /** One approval of `tenantId`; another tenant's id is as unknown as a made-up one. */
  get(tenantId: string, id: string): Approval | undefined {
    const approval = this.byId.get(id);
    if (!approval || approval.tenantId !== tenantId) return undefined;
    this.expireIfDue(approval);
    return approval;
  }

  /** Every approval of `tenantId` this process still remembers, newest first. */
  list(tenantId: string): Approval[] {
    this.sweep();
    return [...this.byId.values()].filter((each) => each.tenantId === tenantId).reverse();
  }

  /** An approver of the same tenant, who is not the caller, grants or denies a pending call. */
  decide(id: string, approver: Principal, decision: 'grant' | 'deny', reason?: string): DecideResult {
    const approval = this.get(approver.tenantId, id);
    if (!approval) return { ok: false, reason: 'not_found' };
    if (approval.status !== 'pending') return { ok: false, reason: 'not_pending', approval };
    if (approval.requestedBy.subject === approver.subject) return { ok: false, reason: 'self_approval', approval };
    approval.status = decision === 'grant' ? 'granted' : 'denied';
    approval.decidedBy = { subject: approver.subject, clientId: approver.clientId };
    approval.decidedAt = new Date(this.now()).toISOString();
    approval.reason = reason ?? null;
    return { ok: true, approval };
  }

  /**
   * The caller calls again with the id: a granted approval for exactly this call runs it, once.
   * Checked and marked used in one synchronous step, so two concurrent retries cannot both run.
   */
  redeem(id: string, caller: Principal, fingerprint: string): RedeemResult {
    const approval = this.get(caller.tenantId, id);
    if (!approval) return { ok: false, reason: 'not_found' };
    if (approval.requestedBy.subject !== caller.subject || approval.fingerprint !== fingerprint) {
      return { ok: false, reason: 'mismatch', approval };
    }
    if (approval.status !== 'granted') return { ok: false, reason: approval.status, approval };
    approval.status = 'used';
    return { ok: true, approval };
  }

  /** How many calls wait for a decision now, and how long the oldest has waited (metrics). */
  summary(): { pending: number; oldestPendingSeconds: number } {
    const now = this.now();
    let pending = 0;
    let oldest = now;
    for (const approval of this.byId.values()) {
      this.expireIfDue(approval);
      if (approval.status !== 'pending') continue;
      pending += 1;
      oldest = Math.min(oldest, Date.parse(approval.requestedAt));
    }
    return { pending, oldestPendingSeconds: (now - oldest) / 1000 };
  }

  private expireIfDue(approval: Approval): void {
    if ((approval.status === 'pending' || approval.status === 'granted') && Date.parse(approval.expiresAt) <= this.now()) {
      approval.status = 'expired';
    }
  }

  /** Expires what is due and forgets what ended more than one TTL ago, so memory stays bounded. */
  private sweep(): void {
    const forgetBefore = this.now() - this.settings.ttlSeconds * 1000;
    for (const [id, approval] of this.byId) {
      this.expireIfDue(approval);
      if (approval.status !== 'pending' && approval.status !== 'granted' && Date.parse(approval.expiresAt) < forgetBefore) {
        this.byId.delete(id);
      }
    }
  }
}
