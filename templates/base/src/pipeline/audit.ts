/**
 * The audit log: for every call whatever its outcome, one JSON-lines audit record (stage `audit`).
 *
 * Audit records answer "who did what, for which tenant, and what happened" after the fact, so
 * they are written for denied, invalid and rate-limited calls too, and kept apart from the
 * operational logs (AUDIT_LOG: stdout, stderr or a file; over stdio never stdout). Arguments are
 * redacted, each record is sealed into a hash chain (tamper evidence), and the pipeline answers
 * a call only once its record is written (src/audit/audit-sink.ts). Records are built by
 * src/audit/audit-record.ts.
 */
import type { AuditRecord } from '../audit/audit-record.js';
import { AuditSink, type AuditSinkOptions } from '../audit/audit-sink.js';

export interface AuditLog {
  /** Resolves `true` once the record is written, `false` if the sink failed (never rejects). */
  write(record: AuditRecord): Promise<boolean>;
  /** Whether the sink can write (for /readyz and AUDIT_FAILURE_MODE=closed). */
  healthy(): boolean;
  /** AUDIT_FAILURE_MODE=closed: no call runs, and no result is given, without its record. */
  readonly failClosed: boolean;
  /** Resolves once every record written so far has reached the destination. */
  flush(): Promise<void>;
  /** Flushes, then closes a file destination. */
  close(): Promise<void>;
}

export function createAuditLog(options: AuditSinkOptions): AuditLog {
  return new AuditSink(options);
}
