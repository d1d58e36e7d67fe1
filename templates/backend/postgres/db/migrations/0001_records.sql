-- The sample schema: business records (customers, orders, notes) with free-form attributes,
-- one set per tenant. Replace it with your own tables; keep the tenant_id column, its default
-- and the policies of 0002 on every table that holds tenant data.
--
-- tenant_id defaults to the tenant of the current transaction (set by the server with
-- set_config('app.tenant_id', …, true)): an INSERT never names the tenant, and one made
-- without a tenant set fails instead of landing nowhere.

CREATE TABLE IF NOT EXISTS records (
  tenant_id  text        NOT NULL DEFAULT current_setting('app.tenant_id')
                         CHECK (tenant_id <> ''),
  id         text        NOT NULL DEFAULT ('rec_' || replace(gen_random_uuid()::text, '-', '')),
  kind       text        NOT NULL DEFAULT 'note' CHECK (kind IN ('customer', 'order', 'note')),
  title      text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  status     text        NOT NULL DEFAULT 'open' CHECK (length(status) BETWEEN 1 AND 50),
  attributes jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS records_tenant_kind_updated ON records (tenant_id, kind, updated_at DESC);
