/**
 * The sample schema's data access (db/migrations/0001_records.sql): business records with
 * free-form attributes. Every function takes the transaction it runs in, so the tenant and the
 * role are already set and row-level security applies; no function takes a tenant. Values are
 * always bound parameters, never concatenated into SQL.
 *
 * Replace these with queries over your own tables, in the same style.
 */
import { z } from 'zod';

import type { Queryable } from './database.js';

export const RECORD_KINDS = ['customer', 'order', 'note'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type AttributeValue = z.infer<typeof attributeValueSchema>;

export const recordSchema = z.object({
  id: z.string().describe('Stable identifier, unique within the tenant'),
  kind: z.enum(RECORD_KINDS),
  title: z.string(),
  status: z.string(),
  attributes: z.record(z.string(), attributeValueSchema),
  createdAt: z.string().describe('ISO 8601 timestamp'),
  updatedAt: z.string().describe('ISO 8601 timestamp'),
});
export type DbRecord = z.infer<typeof recordSchema>;

export interface RecordQuery {
  /** Every word must appear (case-insensitively) in the id, title, status or attributes. */
  text?: string;
  kind?: RecordKind;
  /** At most this many records (default 25, at most 100). */
  limit?: number;
}

export interface NewRecord {
  kind: RecordKind;
  title: string;
  status?: string;
  attributes?: Record<string, AttributeValue>;
}

export interface RecordPatch {
  title?: string;
  status?: string;
  /** Merged into the existing attributes. */
  attributes?: Record<string, AttributeValue>;
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;
const COLUMNS = 'id, kind, title, status, attributes, created_at, updated_at';

interface RecordRow extends Record<string, unknown> {
  id: string;
  kind: RecordKind;
  title: string;
  status: string;
  attributes: Record<string, AttributeValue>;
  created_at: Date | string;
  updated_at: Date | string;
}

export async function searchRecords(db: Queryable, query: RecordQuery = {}): Promise<DbRecord[]> {
  const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  const { rows } = await db.query<RecordRow>(
    `SELECT ${COLUMNS}
       FROM records
      WHERE ($1::text IS NULL OR kind = $1)
        AND NOT EXISTS (
              SELECT 1 FROM unnest($2::text[]) AS word
               WHERE strpos(lower(id || ' ' || title || ' ' || status || ' ' || attributes::text), word) = 0)
      ORDER BY updated_at DESC, id
      LIMIT $3`,
    [query.kind ?? null, words, limit],
  );
  return rows.map(toRecord);
}

/** `undefined` when the tenant has no record with this id (another tenant's record included). */
export async function getRecord(db: Queryable, id: string): Promise<DbRecord | undefined> {
  const { rows } = await db.query<RecordRow>(`SELECT ${COLUMNS} FROM records WHERE id = $1`, [id]);
  return rows[0] && toRecord(rows[0]);
}

/** Created in the transaction's tenant (the column's default): there is no way to name another. */
export async function createRecord(db: Queryable, record: NewRecord): Promise<DbRecord> {
  const { rows } = await db.query<RecordRow>(
    `INSERT INTO records (kind, title, status, attributes)
     VALUES ($1, $2, coalesce($3, 'open'), $4::jsonb)
     RETURNING ${COLUMNS}`,
    [record.kind, record.title, record.status ?? null, JSON.stringify(record.attributes ?? {})],
  );
  return toRecord(rows[0]!);
}

/** `undefined` when the tenant has no record with this id. */
export async function updateRecord(db: Queryable, id: string, patch: RecordPatch): Promise<DbRecord | undefined> {
  const { rows } = await db.query<RecordRow>(
    `UPDATE records
        SET title = coalesce($2, title),
            status = coalesce($3, status),
            attributes = attributes || $4::jsonb,
            updated_at = now()
      WHERE id = $1
      RETURNING ${COLUMNS}`,
    [id, patch.title ?? null, patch.status ?? null, JSON.stringify(patch.attributes ?? {})],
  );
  return rows[0] && toRecord(rows[0]);
}

function toRecord(row: RecordRow): DbRecord {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    attributes: row.attributes,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The words of every string (and string list) value in a tool's input: a generic search text. */
export function searchTextFrom(input: Record<string, unknown>): string {
  return Object.values(input)
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .filter((value): value is string => typeof value === 'string')
    .join(' ')
    .trim();
}

/**
 * The first non-empty string in a tool's input (e.g. a new record's title), else `fallback`.
 * Not shortened: the table refuses a title over 200 characters, and the model reads why.
 */
export function titleFrom(input: Record<string, unknown>, fallback: string): string {
  const first = Object.values(input).find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return first?.trim() ?? fallback;
}

/** A tool's input as record attributes: the values a record can hold, other values dropped. */
export function attributesFrom(input: Record<string, unknown>): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(input)) {
    const parsed = attributeValueSchema.safeParse(value);
    if (parsed.success) attributes[key] = parsed.data;
  }
  return attributes;
}
