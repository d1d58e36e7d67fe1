-- Row-level security: whatever a query says, it only sees and writes the rows of the tenant set
-- on its transaction. A forgotten WHERE cannot leak another tenant's rows, and a transaction
-- with no tenant set sees nothing and can write nothing.
--
-- The policy applies to every role except the table's owner and superusers: the server never
-- queries as either, it switches to DATABASE_READ_ROLE / DATABASE_WRITE_ROLE (0003) in each
-- transaction.

ALTER TABLE records ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS records_tenant_isolation ON records;
CREATE POLICY records_tenant_isolation ON records
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), ''))
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), ''));
