/**
 * Where audit records go (AUDIT_LOG: stdout, stderr or a file), as sealed JSON lines.
 *
 * `write` resolves once the line has been handed to the operating system, so the pipeline can
 * answer a call only after its record exists. A write that fails marks the sink unhealthy
 * (/readyz fails, mcp_audit_write_failures_total counts it); AUDIT_FAILURE_MODE then decides:
 * `closed` (default) refuses calls while the sink is down and turns an unrecorded result into an
 * error, `open` answers anyway and only logs. A file sink reopens the file on the next write
 * (a remounted volume, a fixed permission), continuing the chain from the file's last record.
 *
 * A file sink rotates (src/audit/audit-files.ts): before a record would take the file past
 * AUDIT_ROTATE_BYTES, or when the hour or day (AUDIT_ROTATE_INTERVAL, UTC) it was started in is
 * over, the file is renamed `<name>.<time>.<ext>` and a new one started, the hash chain running
 * on across them. Rotated files last written more than AUDIT_RETENTION_DAYS ago are deleted, at
 * start-up and at each rotation. With OTEL_* export settings, each sealed line is also sent as an
 * OpenTelemetry log record (src/audit/otlp-export.ts); the sink stays the record of truth.
 */
import { createWriteStream, existsSync, mkdirSync, openSync, renameSync, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';

import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Redactor } from '../redaction/redactor.js';
import { deleteExpired, periodOf, readSetChainEnd, rotatedName, type RotationInterval } from './audit-files.js';
import { HashChain } from './hash-chain.js';
import type { AuditExport } from './otlp-export.js';

export type AuditFailureMode = 'open' | 'closed';

export interface AuditSinkOptions {
  /** `stdout`, `stderr` or a file path. */
  destination: string;
  failureMode: AuditFailureMode;
  /** HMAC key of the hash chain (AUDIT_CHAIN_KEY); plain SHA-256 without it. */
  chainKey: string | undefined;
  /** Applied to each record's `arguments`. */
  redactor: Redactor;
  logger: Logger;
  metrics?: Metrics | undefined;
  /** File sinks: rotate before a file passes `maxBytes` (0: no size limit) and each `interval`. */
  rotation?: { maxBytes: number; interval: RotationInterval } | undefined;
  /** File sinks: delete rotated files last written more than this many days ago (0: keep all). */
  retentionDays?: number | undefined;
  /** OTLP log export of every sealed record (OTEL_* settings), when configured. */
  exporter?: AuditExport | undefined;
  /** The clock (tests). */
  now?: () => number;
}

/** How long a failed file sink reports itself unhealthy before it lets a write try again. */
const RETRY_AFTER_MS = 10_000;

export class AuditSink {
  readonly failClosed: boolean;
  private stream: Writable;
  private chain: HashChain;
  private readonly file: string | undefined;
  private failing = false;
  private failedAt = 0;
  private lastWrite: Promise<boolean> = Promise.resolve(true);
  private readonly now: () => number;
  /** File sinks: bytes in the active file, and the rotation period it was started in. */
  private fileBytes = 0;
  private filePeriod = '';

  constructor(private readonly options: AuditSinkOptions) {
    this.failClosed = options.failureMode === 'closed';
    this.now = options.now ?? Date.now;
    const { destination } = options;
    this.file = destination === 'stdout' || destination === 'stderr' ? undefined : destination;
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      this.stream = this.openFile(this.file);
      this.chain = new HashChain(options.chainKey, readSetChainEnd(this.file));
      this.sweep();
    } else {
      this.stream = destination === 'stdout' ? process.stdout : process.stderr;
      this.stream.on('error', (error) => this.failed(error)); // e.g. EPIPE: the reader went away
      this.chain = new HashChain(options.chainKey);
    }
  }

  /** Whether the last write succeeded (or nothing failed yet). */
  healthy(): boolean {
    if (!this.failing) return true;
    // A failed file sink says it is worth a try again after a while: an unready server gets no
    // calls, so without this no write would ever find out that the cause was fixed. The next
    // write reopens the file; if it fails too, the sink is unhealthy for another while.
    return this.file !== undefined && Date.now() - this.failedAt > RETRY_AFTER_MS;
  }

  /** Seals and writes one record; resolves `true` once written, `false` if it could not be. */
  write(record: { arguments?: unknown }): Promise<boolean> {
    if (this.failing && this.file && this.stream.destroyed) this.reopen();
    const args = this.options.redactor.value(record.arguments);
    const redacted = args === record.arguments ? record : { ...record, arguments: args };
    const line = this.chain.seal(JSON.stringify(redacted));
    if (this.file) this.rotateIfDue(Buffer.byteLength(line));
    this.options.exporter?.emit(redacted as Record<string, unknown>, line);
    const written = new Promise<boolean>((resolve) => {
      const done = (error?: Error | null) => {
        if (error) {
          this.failed(error);
          this.options.metrics?.auditWriteFailed();
        } else {
          this.failing = false;
        }
        resolve(!error);
      };
      if (this.stream.destroyed || this.stream.writableEnded) return done(new Error('the audit stream is closed'));
      this.stream.write(line, done);
    });
    this.lastWrite = written;
    return written;
  }

  /** Resolves once every record written so far has been handed to the OS (or has failed). */
  async flush(): Promise<void> {
    await this.lastWrite;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.file && !this.stream.destroyed && !this.stream.writableEnded) {
      await new Promise<void>((resolve) => this.stream.end(resolve));
    }
  }

  /**
   * Starts a new file when the next line would take this one past the size limit, or when the
   * period it was started in is over. Lines already written to the old file still reach it: the
   * rename keeps its open descriptor, and ending the stream flushes them first.
   */
  private rotateIfDue(lineBytes: number): void {
    const rotation = this.options.rotation;
    // A stream still opening has no descriptor yet: renaming now would split its lines.
    if (!rotation || !this.file || this.stream.destroyed || (this.stream as WriteStream).pending) {
      this.fileBytes += lineBytes;
      return;
    }
    const period = periodOf(rotation.interval, this.now());
    const full = rotation.maxBytes > 0 && this.fileBytes > 0 && this.fileBytes + lineBytes > rotation.maxBytes;
    const due = this.fileBytes > 0 && period !== this.filePeriod;
    if (full || due) {
      try {
        const rotated = rotatedName(this.file, new Date(this.now()), existsSync);
        renameSync(this.file, rotated);
        this.stream.end();
        this.stream = this.openFile(this.file);
        this.options.logger.info({ rotated, reason: full ? 'size' : 'time' }, 'audit log rotated');
        this.sweep();
      } catch (error) {
        // Not fatal: keep appending to the current file and try again on the next record.
        this.options.logger.warn({ err: error, destination: this.file }, 'cannot rotate the audit log; still writing to the current file');
      }
    }
    this.fileBytes += lineBytes;
  }

  /** AUDIT_RETENTION_DAYS: deletes rotated files older than the retention period. */
  private sweep(): void {
    if (!this.file) return;
    for (const file of deleteExpired(this.file, this.options.retentionDays ?? 0, this.now())) {
      this.options.logger.info({ file, retentionDays: this.options.retentionDays }, 'audit file past its retention period deleted');
    }
  }

  private openFile(file: string): Writable {
    let size = 0;
    let modified = this.now();
    try {
      const stat = statSync(file);
      size = stat.size;
      modified = stat.mtimeMs;
    } catch {
      // A new file.
    }
    this.fileBytes = size;
    // An existing file belongs to the period of its last write (a restart next morning rotates it).
    this.filePeriod = periodOf(this.options.rotation?.interval ?? 'never', size > 0 ? modified : this.now());
    // Opened now, so the stream has its descriptor before the first record (rotation renames
    // only an open file); a file that cannot be opened fails through the stream's error, as ever.
    let fd: number | undefined;
    try {
      fd = openSync(file, 'a', 0o600);
    } catch {
      fd = undefined;
    }
    const stream = fd === undefined ? createWriteStream(file, { flags: 'a', mode: 0o600 }) : createWriteStream(file, { fd });
    // Failed writes are reported through their callbacks; this keeps an 'error' from crashing the process.
    stream.on('error', (error) => this.failed(error));
    return stream;
  }

  private reopen(): void {
    if (!this.file) return;
    this.failedAt = Date.now();
    this.stream.destroy();
    this.stream = this.openFile(this.file);
    // Records that failed never reached the file: continue from what it really ends with.
    this.chain = new HashChain(this.options.chainKey, readSetChainEnd(this.file));
  }

  private failed(error: Error): void {
    if (this.failing) return; // reported once per outage
    const policy = this.failClosed ? 'tool calls are refused until it recovers (AUDIT_FAILURE_MODE=closed)' : 'tool calls go on unrecorded (AUDIT_FAILURE_MODE=open)';
    this.options.logger.error({ err: error, destination: this.options.destination }, `cannot write the audit log: ${policy}`);
    this.failedAt = Date.now();
    this.failing = true;
  }
}
