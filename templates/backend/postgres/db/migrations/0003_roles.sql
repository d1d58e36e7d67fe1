-- The two roles the server works as, switching per transaction (set_config('role', …, true)):
--
--   mcp_reader  read tools: SELECT only, in READ ONLY transactions
--   mcp_writer  write tools: SELECT, INSERT, UPDATE (no DELETE, no DDL)
--
-- Neither can log in. The server's own login (the user in DATABASE_URL) must be a member of
-- both:   GRANT mcp_reader, mcp_writer TO <that login>;
-- Already have roles? Set DATABASE_READ_ROLE / DATABASE_WRITE_ROLE to them and give them the
-- same grants (README.md, "Pointing it at an existing database").
--
-- Roles belong to the whole cluster, so creating one that exists is not an error here.

DO $$
BEGIN
  CREATE ROLE mcp_reader NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

DO $$
BEGIN
  CREATE ROLE mcp_writer NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

-- The login that runs migrations may switch to both (a superuser already can).
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT mcp_reader, mcp_writer TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO mcp_reader, mcp_writer;
GRANT SELECT ON records TO mcp_reader;
GRANT SELECT, INSERT, UPDATE ON records TO mcp_writer;
