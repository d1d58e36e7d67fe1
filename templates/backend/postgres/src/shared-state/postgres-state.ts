/**
 * Shared state in PostgreSQL (the postgres backend on DATABASE_URL, no REDIS_URL): the tables of
 * db/migrations/0004_shared_state.sql, used by the server's own login (never by tool handlers).
 *
 * A check-and-change is one statement (a conditional UPDATE, an INSERT … ON CONFLICT), or a
 * transaction holding a per-tenant advisory lock where a count must stay exact (the pending cap,
 * the slots). Lease ends are on the database's clock, so replicas whose clocks differ agree.
 */
import { withTimeout } from '../async/with-timeout.js';
import type { Approval } from '../approvals/approval.js';
import type { Database, Queryable } from '../backends/postgres/database.js';
import { orUnavailable, type ApprovalRecords, type OneUseMarkers, type SharedState } from './shared-state.js';
import { LeasedSlots, type SlotBackend } from './slot-leases.js';

/** pg_advisory_xact_lock(class, hashtext(tenant)) classes: apart from the migration lock's key space. */
const APPROVALS_LOCK = 7_205;
const SLOTS_LOCK = 7_206;

export interface PostgresStateOptions {
  leaseMs: number;
  onError: (error: unknown) => void;
}

export function postgresState(database: Database, options: PostgresStateOptions): SharedState {
  const inTransaction = <T>(work: (tx: Queryable) => Promise<T>) => orUnavailable(() => database.transaction('write', work));

  const approvals: ApprovalRecords = {
    insert: (approval, maxPending, now, retainUntil) =>
      inTransaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [APPROVALS_LOCK, approval.tenantId]);
        await tx.query('DELETE FROM mcp_approvals WHERE tenant_id = $1 AND retain_until_ms < $2', [approval.tenantId, now]);
        const { rows } = await tx.query<{ pending: string }>(
          `SELECT count(*) AS pending FROM mcp_approvals WHERE tenant_id = $1 AND status = 'pending' AND expires_at_ms > $2`,
          [approval.tenantId, now],
        );
        if (Number(rows[0]?.pending ?? 0) >= maxPending) return false;
        await tx.query(
          'INSERT INTO mcp_approvals (id, tenant_id, status, expires_at_ms, retain_until_ms, body) VALUES ($1, $2, $3, $4, $5, $6)',
          [approval.id, approval.tenantId, approval.status, Date.parse(approval.expiresAt), retainUntil, JSON.stringify(approval)],
        );
        return true;
      }),
    async get(tenantId, id) {
      const { rows } = await inTransaction((tx) => tx.query<{ body: string }>('SELECT body FROM mcp_approvals WHERE id = $1 AND tenant_id = $2', [id, tenantId]));
      return rows[0] ? (JSON.parse(rows[0].body) as Approval) : undefined;
    },
    async list(tenantId) {
      const { rows } = await inTransaction((tx) =>
        tx.query<{ body: string }>(
          'SELECT body FROM mcp_approvals WHERE tenant_id = $1 AND retain_until_ms >= $2 ORDER BY retain_until_ms DESC, id LIMIT 1000',
          [tenantId, Date.now()],
        ),
      );
      return rows.map((row) => JSON.parse(row.body) as Approval);
    },
    async transition(next, from, now) {
      const { rowCount } = await inTransaction((tx) =>
        tx.query('UPDATE mcp_approvals SET status = $1, body = $2 WHERE id = $3 AND tenant_id = $4 AND status = $5 AND expires_at_ms > $6', [
          next.status,
          JSON.stringify(next),
          next.id,
          next.tenantId,
          from,
          now,
        ]),
      );
      return rowCount === 1;
    },
    async pendingSummary(now) {
      const { rows } = await inTransaction((tx) =>
        tx.query<{ pending: string; oldest: string | null }>(
          `SELECT count(*) AS pending, min(expires_at_ms) AS oldest FROM mcp_approvals WHERE status = 'pending' AND expires_at_ms > $1`,
          [now],
        ),
      );
      const oldest = rows[0]?.oldest;
      return { pending: Number(rows[0]?.pending ?? 0), oldestExpiresAt: oldest === null || oldest === undefined ? undefined : Number(oldest) };
    },
  };

  const confirmations: OneUseMarkers = {
    claim: (id, expiresAt) =>
      inTransaction(async (tx) => {
        await tx.query('DELETE FROM mcp_confirmations WHERE expires_at_ms < $1', [Date.now()]);
        const { rowCount } = await tx.query('INSERT INTO mcp_confirmations (id, expires_at_ms) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, expiresAt]);
        return rowCount === 1;
      }),
  };

  const slotBackend: SlotBackend = {
    take: (slot, limit, leaseMs) =>
      inTransaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SLOTS_LOCK, slot.tenantId]);
        await tx.query('DELETE FROM mcp_call_slots WHERE tenant_id = $1 AND lease_until < clock_timestamp()', [slot.tenantId]);
        const { rowCount } = await tx.query(
          `INSERT INTO mcp_call_slots (token, tenant_id, lease_until)
           SELECT $1, $2, clock_timestamp() + make_interval(secs => $3::double precision / 1000)
           WHERE (SELECT count(*) FROM mcp_call_slots WHERE tenant_id = $2) < $4`,
          [slot.token, slot.tenantId, leaseMs, limit],
        );
        return rowCount === 1;
      }),
    async renew(slots, leaseMs) {
      await inTransaction((tx) =>
        tx.query('UPDATE mcp_call_slots SET lease_until = clock_timestamp() + make_interval(secs => $1::double precision / 1000) WHERE token = ANY($2)', [
          leaseMs,
          slots.map((slot) => slot.token),
        ]),
      );
    },
    async free(slot) {
      await inTransaction((tx) => tx.query('DELETE FROM mcp_call_slots WHERE token = $1', [slot.token]));
    },
  };
  const slots = new LeasedSlots(slotBackend, options.leaseMs, options.onError);

  return {
    kind: 'postgres',
    approvals,
    confirmations,
    slots,
    async ping(timeoutMs) {
      const answered = inTransaction((tx) => tx.query('SELECT 1 FROM mcp_approvals LIMIT 1')).then(
        () => true,
        () => false,
      );
      return withTimeout(answered, timeoutMs, false);
    },
    // The pools belong to the postgres backend, which closes them.
    close: async () => slots.close(),
  };
}
