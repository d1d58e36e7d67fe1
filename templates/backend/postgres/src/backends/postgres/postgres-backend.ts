/**
 * The postgres backend: tenant-scoped transactions over PostgreSQL (DATABASE_URL) or, when that
 * is unset, the embedded PGlite database.
 *
 * `PostgresStore` is built once per process (src/backends/index.ts) and holds the pools. Tool
 * handlers only get a `PostgresBackend` from `forTenant`, and every query they run is inside a
 * transaction that has already
 *
 * - set the tenant: `set_config('app.tenant_id', <tenant>, true)`, which the row-level security
 *   policies of db/migrations/ compare every row with, so a query without a WHERE still only
 *   sees and changes that tenant's rows;
 * - switched role: `read` runs as DATABASE_READ_ROLE (SELECT only) in a READ ONLY transaction,
 *   `write` as DATABASE_WRITE_ROLE (only the grants writes need). Both settings end with the
 *   transaction, so a pooled connection never carries them over to the next tenant.
 *
 * A read tool's backend has no usable `write`: it is refused with `[read_only]`.
 * Database errors reach the model as short business messages (errors.ts), never as SQL.
 */
import { performance } from 'node:perf_hooks';

import { isPostgresUrl, type Config } from '../../config.js';
import type { Logger } from '../../observability/logger.js';
import { secretFrom } from '../../secrets/watched-secret.js';
import { ToolError } from '../../tool-model/tool-error.js';
import { elapsedMs, type BackendScope } from '../backend-scope.js';
import { openPools, type Database, type Queryable, type TransactionMode } from './database.js';
import { openEmbedded } from './embedded.js';
import { toToolError } from './errors.js';

export type { Queryable } from './database.js';

export type PostgresSettings = Config['postgres'];

/** One tenant's view: the only API tool handlers see. */
export interface PostgresBackend {
  /** Runs `work` in a READ ONLY transaction as the read role, with the tenant set. */
  read<T>(work: (db: Queryable) => Promise<T>): Promise<T>;
  /** Runs `work` in a read-write transaction as the write role, with the tenant set. Write tools only. */
  write<T>(work: (db: Queryable) => Promise<T>): Promise<T>;
}

export class PostgresStore {
  private constructor(
    readonly database: Database,
    private readonly settings: PostgresSettings,
    private readonly logger: Logger,
  ) {}

  static async open(settings: PostgresSettings, logger: Logger): Promise<PostgresStore> {
    const database = settings.url
      ? openPools({
          url: settings.url,
          readUrl: settings.readUrl,
          urls: rotatingUrls(settings.url, settings, logger),
          poolMax: settings.poolMax,
          statementTimeoutMs: settings.statementTimeoutMs,
          connectTimeoutMs: settings.connectTimeoutMs,
          applicationName: 'mcp-server',
        })
      : await openEmbedded(settings.embeddedDataDir);
    if (database.engine === 'embedded') {
      logger.info(
        { dataDir: settings.embeddedDataDir ?? 'memory' },
        'postgres backend: DATABASE_URL is not set, using the embedded PGlite database',
      );
    }
    return new PostgresStore(database, settings, logger);
  }

  forTenant(tenantId: string, scope: BackendScope): PostgresBackend {
    return {
      read: (work) => this.run('read', tenantId, scope, work),
      write: (work) => {
        if (scope.access !== 'write') {
          scope.onCall?.({ backend: 'postgres', operation: 'write', outcome: 'error', errorCode: 'read_only', latencyMs: 0 });
          return Promise.reject(new ToolError('read_only', 'This tool only reads data; it cannot change anything.'));
        }
        return this.run('write', tenantId, scope, work);
      },
    };
  }

  /** Readiness: a read transaction as the read role answers (connection, role membership, grants). */
  async isReady(): Promise<boolean> {
    try {
      await this.transaction('read', '', async (db) => db.query('SELECT 1'));
      return true;
    } catch (error) {
      this.logger.warn({ err: error }, 'postgres backend is not ready');
      return false;
    }
  }

  async close(): Promise<void> {
    await this.database.close();
  }

  private async run<T>(mode: TransactionMode, tenantId: string, scope: BackendScope, work: (db: Queryable) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      if (tenantId === '') throw new Error('postgres backend: empty tenant id');
      const result = await this.transaction(mode, tenantId, work);
      scope.onCall?.({ backend: 'postgres', operation: mode, outcome: 'ok', latencyMs: elapsedMs(started) });
      return result;
    } catch (error) {
      const clean = toToolError(error);
      scope.onCall?.({
        backend: 'postgres',
        operation: mode,
        outcome: 'error',
        errorCode: clean?.code ?? 'internal_error',
        latencyMs: elapsedMs(started),
      });
      if (!clean) throw error; // logged with its stack by the pipeline; the model gets a reference only
      if (clean !== error) {
        // For the operator: what PostgreSQL said. The model gets clean.message only.
        this.logger.warn({ err: error, requestId: scope.requestId, code: clean.code }, 'postgres backend call failed');
      }
      throw clean;
    }
  }

  private transaction<T>(mode: TransactionMode, tenantId: string, work: (db: Queryable) => Promise<T>): Promise<T> {
    const role = mode === 'read' ? this.settings.readRole : this.settings.writeRole;
    return this.database.transaction(mode, async (db) => {
      // Both end with the transaction (is_local = true). Bound parameters, like every value.
      await db.query("SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)", [tenantId, role]);
      return work(db);
    });
  }
}

/**
 * DATABASE_URL and DATABASE_READ_URL as they are now: given as files (`_FILE`), they are re-read
 * when the files change, so a rotated password reaches new connections without a restart.
 */
function rotatingUrls(initialUrl: string, settings: PostgresSettings, logger: Logger): () => { url: string; readUrl: string | undefined } {
  const parse = (name: string) => (text: string) => {
    if (!isPostgresUrl(text)) throw new Error(`${name}: expected a postgres:// or postgresql:// connection URL`);
    return text;
  };
  const url = secretFrom(settings.urlFile, { name: 'DATABASE_URL', initial: initialUrl, parse: parse('DATABASE_URL'), logger });
  const readUrl = secretFrom<string | undefined>(settings.readUrlFile, { name: 'DATABASE_READ_URL', initial: settings.readUrl, parse: parse('DATABASE_READ_URL'), logger });
  return () => ({ url: url.current(), readUrl: readUrl.current() });
}
