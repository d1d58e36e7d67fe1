/**
 * The table-selection flags of a PostgreSQL import, shared by `mcp-gen import postgres` and
 * `create-mcp-server --postgres-import`: each sets one field of the `postgresImport` overlay, and
 * an error about that field names the flag.
 */
import type { Command } from 'commander';
import { SpecError } from '../spec/issues.js';

export interface PostgresImportFlags {
  table?: string[];
  shared?: string[];
  tenantColumn?: string;
  schema?: string;
  writes?: boolean;
  rowCap?: string;
}

/** The flag that sets each overlay field. */
export const POSTGRES_FLAG_OF: Readonly<Record<string, string>> = {
  tables: '--table',
  shared: '--shared',
  tenantColumn: '--tenant-column',
  schema: '--schema',
  writes: '--writes',
  rowCap: '--row-cap',
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds the flags to `command`; `lead` starts each description (create-mcp-server's say they go with --postgres-import). */
export function addPostgresImportOptions(command: Command, lead = ''): Command {
  return command
    .option('--table <name>', `${lead}a table to import, repeatable (default: every table of the schema)`, collect)
    .option('--tenant-column <column>', `${lead}the column naming the tenant (default tenant_id, or the last import's)`)
    .option('--shared <table>', `${lead}a table of reference data without the tenant column, read-only for every tenant; repeatable`, collect)
    .option('--writes', `${lead}also create_ and update_ tools for tenant tables, each with approval "human"`)
    .option('--no-writes', `${lead}no write tools (a re-import drops those an earlier --writes made)`)
    .option('--schema <name>', `${lead}the PostgreSQL schema (default public)`)
    .option('--row-cap <rows>', `${lead}the most rows a list or search call returns, 1-1000 (default 100)`);
}

/** The overlay fields the flags given set (none given: an empty record). A --row-cap that is not a number is refused here. */
export function postgresImportFlags(options: PostgresImportFlags): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  if (options.table) flags.tables = options.table;
  if (options.shared) flags.shared = options.shared;
  if (options.tenantColumn !== undefined) flags.tenantColumn = options.tenantColumn;
  if (options.schema !== undefined) flags.schema = options.schema;
  if (options.writes !== undefined) flags.writes = options.writes;
  if (options.rowCap !== undefined) {
    if (!/^\d+$/.test(options.rowCap)) throw new SpecError([`--row-cap: "${options.rowCap}" is not allowed; expected a whole number of rows from 1 to 1000`]);
    flags.rowCap = Number(options.rowCap);
  }
  return flags;
}

/**
 * The import's source as typed: `DATABASE_URL` or a dump's path. A connection URL typed in its
 * place is refused without being echoed: it would keep its password in shell history and CI logs
 * (and read as a path, it would be printed in the error).
 */
export function checkPostgresSource(source: string | undefined, flag: string): void {
  if (source === undefined || !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(source)) return;
  throw new SpecError([`${flag}: a connection URL is not taken on the command line (its password would stay in shell history and logs); set DATABASE_URL to it and give DATABASE_URL`]);
}
