/**
 * One interface over the two engines the postgres backend runs on:
 *
 * - a real PostgreSQL server (`DATABASE_URL`): node-postgres pools, one for writes and one for
 *   reads (the same server unless `DATABASE_READ_URL` names a replica), with connection,
 *   statement and idle-in-transaction timeouts;
 * - PGlite (`@electric-sql/pglite`, Postgres compiled to WebAssembly) when `DATABASE_URL` is
 *   unset: the same SQL, roles and row-level security, in this process, so `npm start` and
 *   `npm test` need nothing installed.
 *
 * Only postgres-backend.ts and the migration runner use it; tool handlers get a
 * {@link Queryable} inside a transaction that already carries the tenant and the role.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** What SQL inside a transaction can do: parameterized queries, nothing else. */
export interface Queryable {
  /** `params` are always bound ($1, $2 …), never spliced into the SQL text. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

export type TransactionMode = 'read' | 'write';

export interface Database {
  /** `postgres`: a server through pg; `embedded`: PGlite in this process. */
  readonly engine: 'postgres' | 'embedded';
  /**
   * BEGIN (READ ONLY for `read`, on the read pool), `work`, COMMIT; ROLLBACK if `work` throws.
   * A read transaction cannot write whatever its SQL says: PostgreSQL refuses (25006).
   */
  transaction<T>(mode: TransactionMode, work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `work` with one connection to itself (migrations: a session-level lock, many statements). */
  session<T>(work: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface Session extends Queryable {
  /** Runs a script of several statements (no parameters): a migration file. */
  script(sql: string): Promise<void>;
}

export interface PoolSettings {
  url: string;
  readUrl: string | undefined;
  /**
   * Where the URLs are looked up before each transaction, when they can change (DATABASE_URL_FILE
   * rotated); without it, `url` and `readUrl` for good.
   */
  urls?: () => { url: string; readUrl: string | undefined };
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  applicationName: string;
}

/**
 * node-postgres: a write pool, and a read pool on DATABASE_READ_URL when it is set.
 *
 * When a URL changes (a rotated password in DATABASE_URL_FILE), the next transaction opens new
 * pools on the new URLs; the old ones are retired: transactions running on them finish on their
 * connections, callers already queued for one of their connections get it, then they close.
 */
export function openPools(settings: PoolSettings): Database {
  const poolFor = (connectionString: string) => {
    const pool = new pg.Pool({
      connectionString,
      max: settings.poolMax,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      // Server side: no statement runs longer, no transaction idles holding locks.
      statement_timeout: settings.statementTimeoutMs,
      idle_in_transaction_session_timeout: Math.max(settings.statementTimeoutMs * 2, 10_000),
      // Client side too, in case the server or the network stops answering altogether.
      query_timeout: settings.statementTimeoutMs + 2_000,
      application_name: settings.applicationName,
    });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    return pool;
  };
  type Pools = { url: string; readUrl: string | undefined; write: pg.Pool; read: pg.Pool };
  const open = (url: string, readUrl: string | undefined): Pools => {
    const write = poolFor(url);
    return { url, readUrl, write, read: readUrl && readUrl !== url ? poolFor(readUrl) : write };
  };
  const end = async (pools: Pools) => {
    await pools.write.end();
    if (pools.read !== pools.write) await pools.read.end();
  };
  const urls = settings.urls ?? (() => ({ url: settings.url, readUrl: settings.readUrl }));
  let active = open(settings.url, settings.readUrl);
  const retiring = new Set<Promise<void>>();
  const retire = (pools: Pools) => {
    // pg-pool's end() would strand callers still queued for a connection: wait for the queue to empty.
    const done = (async () => {
      while (pools.write.waitingCount > 0 || pools.read.waitingCount > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await end(pools);
    })();
    retiring.add(done);
    void done.finally(() => retiring.delete(done));
  };
  const current = (): Pools => {
    const now = urls();
    if (now.url !== active.url || now.readUrl !== active.readUrl) {
      const old = active;
      active = open(now.url, now.readUrl);
      retire(old);
    }
    return active;
  };

  return {
    engine: 'postgres',
    transaction(mode, work) {
      const pools = current();
      return holding(mode === 'read' ? pools.read : pools.write, async (client, broke) => {
        try {
          await client.query(mode === 'read' ? 'BEGIN READ ONLY' : 'BEGIN');
          const result = await work(queryable(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(broke); // the connection is unusable: destroy it rather than reuse it
          throw error;
        }
      });
    },
    session(work) {
      return holding(current().write, (client) =>
        work({
          ...queryable(client),
          script: async (sql) => {
            await client.query(sql);
          },
        }),
      );
    },
    async close() {
      await end(active);
      await Promise.all([...retiring]);
    },
  };
}

/** One pooled connection for `work`; destroyed instead of reused when it broke meanwhile. */
async function holding<T>(pool: pg.Pool, work: (client: pg.PoolClient, broke: (error: Error) => void) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const broke = (error: Error) => {
    broken = error;
  };
  // pg-pool listens for errors on idle connections only: a server dropping a checked-out one (a
  // restart, a failover, pg_terminate_backend) would otherwise throw out of the process.
  client.on('error', broke);
  try {
    return await work(client, broke);
  } finally {
    client.off('error', broke);
    client.release(broken);
  }
}

function queryable(client: pg.PoolClient): Queryable {
  return {
    async query<Row extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
  };
}

/** PGlite: one in-process connection; its transactions run one at a time. */
export function embeddedDatabase(db: PGlite, release: () => Promise<void>): Database {
  const wrap = (target: Pick<PGlite, 'query'>): Queryable => ({
    async query<Row extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<Row>(sql, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  });
  return {
    engine: 'embedded',
    transaction(mode, work) {
      return db.transaction(async (tx) => {
        if (mode === 'read') await tx.query('SET TRANSACTION READ ONLY');
        return work(wrap(tx));
      });
    },
    async session(work) {
      return work({
        ...wrap(db),
        script: async (sql) => {
          await db.exec(sql);
        },
      });
    },
    close: release,
  };
}
