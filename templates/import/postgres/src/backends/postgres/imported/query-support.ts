/**
 * What the queries of imported tools (src/backends/postgres/imported/, from `mcp-gen import
 * postgres`) share: values bound as text and cast in SQL to their column's type, keyset cursors,
 * row caps, and the INSERT / UPDATE of create and update tools, composed from the tool's fixed
 * list of columns (identifiers quoted, never taken from the input; values always bound).
 *
 * Every function takes the transaction it runs in: the tenant and the role are already set and
 * row-level security applies. The tenant column is never an argument: create writes it from the
 * transaction's tenant, and the policies refuse any other.
 */
import { ToolError } from '../../../tool-model/tool-error.js';
import type { Queryable } from '../database.js';

/** One column of an imported table, as create and update write it. */
export interface ColumnBinding {
  column: string;
  param: string;
  sqlType: string;
  key: boolean;
  readOnly: boolean;
}

export interface TableBinding {
  /** `"public"."customers"` */
  table: string;
  columns: readonly ColumnBinding[];
  /** The SQL of the row (jsonb) as tools return it, over the alias `t`. */
  row: string;
  /** The tenant column and what it is set to (the transaction's tenant), or null: shared data. */
  tenant: { column: string; value: string } | null;
}

export const DEFAULT_LIMIT = 25;

/** A value bound as text ($1::text::integer): one encoding for every type, on both engines. */
export function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `limit` within 1..cap (default 25). */
export function clampLimit(limit: unknown, cap: number): number {
  const wanted = typeof limit === 'number' && Number.isFinite(limit) ? Math.trunc(limit) : DEFAULT_LIMIT;
  return Math.min(Math.max(1, wanted), cap);
}

/** `text` found anywhere (ILIKE), its % _ and \ matched literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The key of the last row of a page, as the opaque cursor of the next. */
export function encodeCursor(row: Record<string, unknown>, keyParams: readonly string[]): string {
  return Buffer.from(JSON.stringify(keyParams.map((param) => asText(row[param])))).toString('base64url');
}

/** The key values a cursor carries; all null without one. */
export function decodeCursor(cursor: unknown, size: number): Array<string | null> {
  if (cursor === undefined || cursor === null || cursor === '') return new Array<string | null>(size).fill(null);
  try {
    const values: unknown = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === size && values.every((v) => typeof v === 'string')) return values as string[];
  } catch {
    // fall through: not a cursor this tool wrote
  }
  throw new ToolError('invalid_argument', 'The cursor is not one this tool returned; call again without "after" to start from the first page.');
}

/** Runs a page query (list, search): one row more than asked tells whether there is a next page. */
export async function page(
  db: Queryable,
  sql: string,
  values: Array<string | null>,
  limit: number,
  keyParams: readonly string[],
): Promise<{ rows: Array<Record<string, unknown>>; nextCursor: string | null }> {
  const { rows } = await db.query<{ row: Record<string, unknown> }>(sql, [...values, String(limit + 1)]);
  const found = rows.slice(0, limit).map((r) => r.row);
  const last = found.at(-1);
  return { rows: found, nextCursor: rows.length > limit && last ? encodeCursor(last, keyParams) : null };
}

/** create: a row in the transaction's tenant, from the columns the input gives; the rest take their defaults. */
export async function insertRow(db: Queryable, table: TableBinding, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const given = table.columns.filter((c) => !c.readOnly && input[c.param] !== undefined);
  const columns = given.map((c) => quoteIdent(c.column));
  const values = given.map((c, i) => `$${i + 1}::text::${c.sqlType}`);
  if (table.tenant) {
    columns.unshift(quoteIdent(table.tenant.column));
    values.unshift(table.tenant.value);
  }
  const sql =
    columns.length > 0
      ? `INSERT INTO ${table.table} AS t (${columns.join(', ')}) VALUES (${values.join(', ')}) RETURNING ${table.row} AS row`
      : `INSERT INTO ${table.table} AS t DEFAULT VALUES RETURNING ${table.row} AS row`;
  const { rows } = await db.query<{ row: Record<string, unknown> }>(sql, given.map((c) => asText(input[c.param])));
  return rows[0]!.row;
}

/** update: the columns the input gives, on the row its key names; undefined when the tenant has no such row. */
export async function updateRow(db: Queryable, table: TableBinding, input: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const keys = table.columns.filter((c) => c.key);
  const changes = table.columns.filter((c) => !c.key && !c.readOnly && input[c.param] !== undefined);
  if (changes.length === 0) throw new ToolError('invalid_argument', 'Nothing to change: give at least one field besides the key.');
  const values = [...changes, ...keys].map((c) => asText(input[c.param]));
  const set = changes.map((c, i) => `${quoteIdent(c.column)} = $${i + 1}::text::${c.sqlType}`);
  const where = keys.map((c, i) => `t.${quoteIdent(c.column)} = $${changes.length + i + 1}::text::${c.sqlType}`);
  const { rows } = await db.query<{ row: Record<string, unknown> }>(
    `UPDATE ${table.table} AS t SET ${set.join(', ')} WHERE ${where.join(' AND ')} RETURNING ${table.row} AS row`,
    values,
  );
  return rows[0]?.row;
}
