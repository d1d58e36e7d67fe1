/**
 * The migration an import adds to the generated repo (db/migrations/NNNN_postgres_import.sql):
 *
 * - each imported table as the database has it (CREATE TABLE IF NOT EXISTS, and ADD COLUMN IF
 *   NOT EXISTS for columns a later import found), so the embedded PGlite database of `npm start`
 *   and `npm test` has it too, while on the real database these change nothing;
 * - row-level security on each tenant table: a row is seen and written only in a transaction
 *   whose tenant (set from the credential) is the row's tenant column;
 * - grants for the server's roles: SELECT to the reader, and to the writer INSERT and UPDATE on
 *   tenant tables when write tools were imported; shared reference tables are read-only.
 *
 * Deterministic (no date): an import that finds nothing new writes no new migration.
 */
import type { PostgresImportSpec } from '../../spec/project-spec.js';
import { primaryKey, type DbColumn, type DbSchema, type DbTable } from './schema.js';

export const READ_ROLE = 'mcp_reader';
export const WRITE_ROLE = 'mcp_writer';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function migrationSql(schema: DbSchema, tables: ReadonlyArray<{ table: DbTable; shared: boolean }>, overlay: PostgresImportSpec): string {
  const s = quoteIdent(schema.schema);
  const qualified = (table: DbTable) => `${s}.${quoteIdent(table.name)}`;
  const out: string[] = [
    '-- Written by `mcp-gen import postgres`: the imported tables, their row-level security and the',
    "-- server's grants. Like every migration it is applied once (npm run db:migrate); a later import",
    '-- that finds the schema changed adds a new one. On a database that already has the tables the',
    '-- CREATE and ADD COLUMN statements change nothing; ENABLE ROW LEVEL SECURITY and CREATE POLICY',
    '-- need the tables\' owner (DATABASE_MIGRATION_URL).',
    '--',
    ...tables.map(({ table, shared }) =>
      `--   ${table.name}: ${shared ? 'shared reference data, read-only for every tenant' : `tenant rows, by ${overlay.tenantColumn}`}`,
    ),
    '',
  ];
  if (schema.schema !== 'public') out.push(`CREATE SCHEMA IF NOT EXISTS ${s};`, '');
  const usedTypes = new Set(tables.flatMap(({ table }) => table.columns.map((c) => c.sqlType)));
  for (const type of schema.enums.filter((e) => usedTypes.has(e.name) || usedTypes.has(quoteIdent(e.name)))) {
    out.push(
      'DO $$',
      'BEGIN',
      `  CREATE TYPE ${s}.${quoteIdent(type.name)} AS ENUM (${type.labels.map(literal).join(', ')});`,
      'EXCEPTION WHEN duplicate_object THEN',
      '  NULL;',
      'END',
      '$$;',
      '',
    );
  }
  for (const { table, shared } of tables) {
    const name = qualified(table);
    const definitions = [
      ...table.columns.map((c) => `  ${columnDefinition(c)}`),
      ...table.constraints.map((c) => `  CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`),
    ];
    out.push(`CREATE TABLE IF NOT EXISTS ${name} (`, definitions.join(',\n'), ');');
    for (const column of table.columns.filter((c) => !primaryKey(table).includes(c.name))) {
      out.push(`ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS ${columnDefinition(column)};`);
    }
    for (const index of table.indexes.filter((i) => !i.constraintIndex)) {
      out.push(`${index.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS ')};`);
    }
    if (!shared) {
      const policy = quoteIdent(`${table.name.slice(0, 40)}_tenant_isolation`);
      const check = `${quoteIdent(overlay.tenantColumn)}::text = nullif(current_setting('app.tenant_id', true), '')`;
      out.push(
        `ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;`,
        `DROP POLICY IF EXISTS ${policy} ON ${name};`,
        `CREATE POLICY ${policy} ON ${name}`,
        `  USING (${check})`,
        `  WITH CHECK (${check});`,
      );
    }
    out.push(`GRANT SELECT ON ${name} TO ${READ_ROLE}, ${WRITE_ROLE};`);
    if (!shared && overlay.writes) {
      out.push(`GRANT INSERT, UPDATE ON ${name} TO ${WRITE_ROLE};`);
      for (const column of table.columns.filter((c) => serialType(c) !== undefined)) {
        out.push(
          'DO $$',
          'DECLARE',
          `  sequence_name text := pg_get_serial_sequence(${literal(name)}, ${literal(column.name)});`,
          'BEGIN',
          `  IF sequence_name IS NOT NULL THEN EXECUTE format('GRANT USAGE ON SEQUENCE %s TO ${WRITE_ROLE}', sequence_name); END IF;`,
          'END',
          '$$;',
        );
      }
    }
    out.push('');
  }
  out.splice(out.length - 1, 0, `GRANT USAGE ON SCHEMA ${s} TO ${READ_ROLE}, ${WRITE_ROLE};`);
  return `${out.join('\n')}\n`;
}

/** The first line of a migration's revocations: what comes after it is not the schema's. */
export const REVOCATIONS_MARK = '-- Revoked: what this import no longer serves.';

/**
 * What a re-import no longer serves, taken back from the server's roles: every grant on a table
 * no longer imported, and the writer's INSERT and UPDATE on a table whose write tools are gone
 * (--no-writes, or the table now shared). Each is guarded by to_regclass: a table dropped from the
 * database has no grants left to revoke. Empty when nothing was dropped.
 */
export function revocationSql(
  dropped: ReadonlyArray<{ schema: string; table: string }>,
  unwritten: ReadonlyArray<{ schema: string; table: string }>,
): string {
  if (dropped.length === 0 && unwritten.length === 0) return '';
  const guarded = ({ schema, table }: { schema: string; table: string }, statement: (name: string) => string) => {
    const name = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    return ['DO $$', 'BEGIN', `  IF to_regclass(${literal(name)}) IS NOT NULL THEN`, `    ${statement(name)}`, '  END IF;', 'END', '$$;'];
  };
  const out = [REVOCATIONS_MARK];
  for (const table of dropped) {
    out.push(`--   ${table.table}: no longer imported`, ...guarded(table, (name) => `REVOKE SELECT, INSERT, UPDATE ON ${name} FROM ${READ_ROLE}, ${WRITE_ROLE};`));
  }
  for (const table of unwritten) {
    out.push(`--   ${table.table}: no write tools any more`, ...guarded(table, (name) => `REVOKE INSERT, UPDATE ON ${name} FROM ${WRITE_ROLE};`));
  }
  return `${out.join('\n')}\n`;
}

/** serial / bigserial / smallserial for a column whose default draws from its own sequence. */
function serialType(column: DbColumn): string | undefined {
  if (!column.defaultSql || !/^nextval\(/.test(column.defaultSql)) return undefined;
  return { int2: 'smallserial', int4: 'serial', int8: 'bigserial' }[column.baseType];
}

function columnDefinition(column: DbColumn): string {
  const serial = serialType(column);
  const parts = [quoteIdent(column.name), serial ?? column.ddlType];
  if (column.notNull && !serial) parts.push('NOT NULL');
  if (column.identity === 'a') parts.push('GENERATED ALWAYS AS IDENTITY');
  else if (column.identity === 'd') parts.push('GENERATED BY DEFAULT AS IDENTITY');
  else if (column.generated === 's' && column.defaultSql) parts.push(`GENERATED ALWAYS AS (${column.defaultSql}) STORED`);
  else if (column.defaultSql && !serial) parts.push(`DEFAULT ${column.defaultSql}`);
  return parts.join(' ');
}
