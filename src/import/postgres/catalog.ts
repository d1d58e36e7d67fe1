/**
 * Reads a schema's tables, columns, keys, indexes, enums and COMMENTs from pg_catalog: the same
 * queries on a PostgreSQL server (DATABASE_URL) and on PGlite (a dump loaded into it), so both
 * sources give the same answer. Values are bound; nothing is spliced into the SQL.
 */
import type { DbColumn, DbSchema, DbTable } from './schema.js';

export type CatalogQuery = <Row>(sql: string, params: unknown[]) => Promise<Row[]>;

const TABLES_SQL = `
SELECT c.relname AS table, obj_description(c.oid, 'pg_class') AS comment
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
 ORDER BY c.relname`;

const COLUMNS_SQL = `
SELECT c.relname AS table, a.attname AS name,
       -- Without its modifier, character would be character(1): bpchar is its unbounded form.
       CASE WHEN bt.typname = 'bpchar' THEN 'bpchar'
            ELSE pg_catalog.format_type(CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE a.atttypid END, NULL) END AS sql_type,
       CASE WHEN ty.typtype = 'd' THEN pg_catalog.format_type(ty.typbasetype, ty.typtypmod)
            ELSE pg_catalog.format_type(a.atttypid, a.atttypmod) END AS ddl_type,
       bt.typname AS base_type, bt.typcategory::text AS category, a.attnotnull AS not_null,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_sql,
       a.attidentity::text AS identity, a.attgenerated::text AS generated,
       pg_catalog.col_description(c.oid, a.attnum) AS comment
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
  JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
 ORDER BY c.relname, a.attnum`;

const CONSTRAINTS_SQL = `
SELECT c.relname AS table, con.conname AS name, con.contype::text AS type,
       pg_catalog.pg_get_constraintdef(con.oid) AS definition,
       (SELECT json_agg(a.attname ORDER BY k.ord)
          FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns
  FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'c')
 ORDER BY c.relname, con.contype DESC, con.conname`;

const INDEXES_SQL = `
SELECT c.relname AS table, ic.relname AS name, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid) AS constraint_index,
       (SELECT json_agg(a.attname ORDER BY k.ord)
          FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1
 ORDER BY c.relname, ic.relname`;

const ENUMS_SQL = `
SELECT t.typname AS name, json_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = $1
 GROUP BY t.typname
 ORDER BY t.typname`;

interface ColumnRow {
  table: string;
  name: string;
  sql_type: string;
  ddl_type: string;
  base_type: string;
  category: string;
  not_null: boolean;
  default_sql: string | null;
  identity: string;
  generated: string;
  comment: string | null;
}

export async function readCatalog(query: CatalogQuery, schema: string): Promise<DbSchema> {
  const tables = new Map<string, DbTable>();
  for (const row of await query<{ table: string; comment: string | null }>(TABLES_SQL, [schema])) {
    tables.set(row.table, { name: row.table, comment: row.comment, columns: [], constraints: [], indexes: [] });
  }
  for (const row of await query<ColumnRow>(COLUMNS_SQL, [schema])) {
    const column: DbColumn = {
      name: row.name,
      sqlType: row.sql_type,
      ddlType: row.ddl_type,
      baseType: row.base_type,
      category: row.category,
      notNull: row.not_null,
      defaultSql: row.default_sql,
      identity: row.identity ?? '',
      generated: row.generated ?? '',
      comment: row.comment,
    };
    tables.get(row.table)?.columns.push(column);
  }
  for (const row of await query<{ table: string; name: string; type: string; definition: string; columns: string[] | null }>(CONSTRAINTS_SQL, [schema])) {
    tables.get(row.table)?.constraints.push({ name: row.name, type: row.type, definition: row.definition, columns: row.columns ?? [] });
  }
  for (const row of await query<{ table: string; name: string; definition: string; constraint_index: boolean; columns: string[] | null }>(INDEXES_SQL, [schema])) {
    tables.get(row.table)?.indexes.push({ name: row.name, definition: row.definition, constraintIndex: row.constraint_index, columns: row.columns ?? [] });
  }
  const enums = (await query<{ name: string; labels: string[] }>(ENUMS_SQL, [schema])).map((row) => ({ name: row.name, labels: row.labels }));
  return { schema, tables: [...tables.values()], enums };
}
