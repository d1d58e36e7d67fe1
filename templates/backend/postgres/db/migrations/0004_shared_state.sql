-- State every replica shares when there is no Redis (src/shared-state/postgres-state.ts):
-- calls parked for a human approver, client confirmations already answered, and each tenant's
-- calls in flight (with a lease, so a dead replica's slots free themselves).
--
-- Only the server's own login uses these tables; the roles tool handlers run as (mcp_reader,
-- mcp_writer) get no grant on them, so no tool can read or change approvals.

CREATE TABLE IF NOT EXISTS mcp_approvals (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  status text NOT NULL,
  expires_at_ms bigint NOT NULL,
  retain_until_ms bigint NOT NULL,
  body text NOT NULL
);
CREATE INDEX IF NOT EXISTS mcp_approvals_tenant ON mcp_approvals (tenant_id, status, expires_at_ms);
CREATE INDEX IF NOT EXISTS mcp_approvals_retention ON mcp_approvals (retain_until_ms);

CREATE TABLE IF NOT EXISTS mcp_confirmations (
  id text PRIMARY KEY,
  expires_at_ms bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS mcp_confirmations_expiry ON mcp_confirmations (expires_at_ms);

CREATE TABLE IF NOT EXISTS mcp_call_slots (
  token text PRIMARY KEY,
  tenant_id text NOT NULL,
  lease_until timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS mcp_call_slots_tenant ON mcp_call_slots (tenant_id, lease_until);

REVOKE ALL ON mcp_approvals, mcp_confirmations, mcp_call_slots FROM PUBLIC;
