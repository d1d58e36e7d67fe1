/**
 * The sample backend's data model: generic business records (customers, orders, notes) with
 * free-form attributes, so any generated tool has something real to read and write.
 * Replace this backend with your own (Postgres, an HTTP API…) and keep its shape: tenant-scoped,
 * async, typed.
 */
import { z } from 'zod';

export const RECORD_KINDS = ['customer', 'order', 'note'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type AttributeValue = z.infer<typeof attributeValueSchema>;

export const sampleRecordSchema = z.object({
  id: z.string().describe('Stable identifier, unique within the tenant'),
  kind: z.enum(RECORD_KINDS),
  title: z.string(),
  status: z.string(),
  attributes: z.record(z.string(), attributeValueSchema),
  createdAt: z.string().describe('ISO 8601 timestamp'),
  updatedAt: z.string().describe('ISO 8601 timestamp'),
});
export type SampleRecord = z.infer<typeof sampleRecordSchema>;

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

export interface RecordQuery {
  /** Every word must appear (case-insensitively) in the id, title, status or an attribute value. */
  text?: string;
  kind?: RecordKind;
  /** At most this many records (default 25, at most 100). */
  limit?: number;
}

/** The words of every string (and string list) value in a tool's input: a generic search text. */
export function searchTextFrom(input: Record<string, unknown>): string {
  return Object.values(input)
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .filter((value): value is string => typeof value === 'string')
    .join(' ')
    .trim();
}

/** The first non-empty string in a tool's input (e.g. a new record's title), else `fallback`. */
export function titleFrom(input: Record<string, unknown>, fallback: string): string {
  const first = Object.values(input).find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return first?.trim().slice(0, 200) ?? fallback;
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
