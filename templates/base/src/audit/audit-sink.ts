/**
 * Where audit records go (AUDIT_LOG: stdout, stderr or a file), as sealed JSON lines.
 *
 * `write` resolves once the line has been handed to the operating system, so the pipeline can
 * answer a call only after its record exists. A write that fails marks the sink unhealthy
 * (/readyz fails, mcp_audit_write_failures_total counts it); AUDIT_FAILURE_MODE then decides:
 * `closed` (default) refuses calls while the sink is down and turns an unrecorded result into an
 * error, `open` answers anyway and only logs. A file sink reopens the file on the next write
 * (a remounted volume, a fixed permission), continuing the chain from the file's last record.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';

import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Redactor } from '../redaction/redactor.js';
import { HashChain, readChainEnd } from './hash-chain.js';

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

  constructor(private readonly options: AuditSinkOptions) {
    this.failClosed = options.failureMode === 'closed';
    const { destination } = options;
    this.file = destination === 'stdout' || destination === 'stderr' ? undefined : destination;
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      this.stream = this.openFile(this.file);
      this.chain = new HashChain(options.chainKey, readChainEnd(this.file));
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

  private openFile(file: string): Writable {
    const stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
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
    this.chain = new HashChain(this.options.chainKey, readChainEnd(this.file));
  }

  private failed(error: Error): void {
    if (this.failing) return; // reported once per outage
    const policy = this.failClosed ? 'tool calls are refused until it recovers (AUDIT_FAILURE_MODE=closed)' : 'tool calls go on unrecorded (AUDIT_FAILURE_MODE=open)';
    this.options.logger.error({ err: error, destination: this.options.destination }, `cannot write the audit log: ${policy}`);
    this.failedAt = Date.now();
    this.failing = true;
  }
}
