/** One call parked for a human approver, as every replica stores and reads it. */
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
  /** The validated arguments (shown to approvers only through the redactor). */
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
