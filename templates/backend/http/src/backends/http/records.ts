/**
 * Calls to the records endpoints of the sample API (test/support/sample-api.ts, `npm run
 * sample-api`): the shape an internal REST API usually has. Replace them with your API's
 * endpoints, in the same style: check the status, validate the body, summarize long answers.
 *
 *   GET   /v1/records?q=&kind=&limit=   -> { records: Record[], total }
 *   GET   /v1/records/:id               -> Record, or 404
 *   POST  /v1/records                   -> 201 Record
 *   PATCH /v1/records/:id               -> Record, or 404
 *
 * Writes send the tool call's request id as Idempotency-Key and make one attempt: pass
 * `{ idempotent: true }` only for an API that applies a repeated key once (README, "Backends ->
 * http").
 */
import { z } from 'zod';

import { ToolError } from '../../tool-model/tool-error.js';
import { assertOk, type ApiResponse, type HttpApiBackend, type SendOptions } from './http-backend.js';
import { DEFAULT_SUMMARY_LIMITS, summarizeList, truncateStrings } from '../../pipeline/summarize.js';

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
export type ApiRecord = z.infer<typeof recordSchema>;

const recordListSchema = z.object({ records: z.array(recordSchema), total: z.number().int().nonnegative().optional() });

export interface RecordQuery {
  text?: string;
  kind?: RecordKind;
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
  attributes?: Record<string, AttributeValue>;
}

/** Matching records, at most DEFAULT_SUMMARY_LIMITS.maxItems of them, long strings shortened. */
export async function searchRecords(
  api: HttpApiBackend,
  query: RecordQuery = {},
): Promise<{ records: ApiRecord[]; total: number; omitted: number }> {
  const response = await api.get('/v1/records', { q: query.text || undefined, kind: query.kind, limit: query.limit });
  assertOk(response);
  const list = parseBody(recordListSchema, response);
  const total = Math.max(list.total ?? list.records.length, list.records.length);
  const { items } = summarizeList(list.records, DEFAULT_SUMMARY_LIMITS);
  return { records: items, total, omitted: total - items.length };
}

/** `undefined` when the API has no such record for this tenant. */
export async function getRecord(api: HttpApiBackend, id: string): Promise<ApiRecord | undefined> {
  const response = await api.get(`/v1/records/${encodeURIComponent(id)}`);
  if (response.status === 404) return undefined;
  assertOk(response);
  return summarized(parseBody(recordSchema, response));
}

/** How a write may be repeated: see {@link SendOptions.idempotent}. */
export type WriteOptions = Pick<SendOptions, 'idempotent'>;

/**
 * `idempotencyKey` (the tool call's requestId) lets an API that deduplicates on it apply a
 * repeated request once. One attempt unless `options.idempotent`.
 */
export async function createRecord(api: HttpApiBackend, record: NewRecord, idempotencyKey: string, options: WriteOptions = {}): Promise<ApiRecord> {
  const response = await api.send('POST', '/v1/records', { body: record, idempotencyKey, ...options });
  assertOk(response);
  return summarized(parseBody(recordSchema, response));
}

/** `undefined` when the API has no such record for this tenant. */
export async function updateRecord(
  api: HttpApiBackend,
  id: string,
  patch: RecordPatch,
  idempotencyKey: string,
  options: WriteOptions = {},
): Promise<ApiRecord | undefined> {
  const response = await api.send('PATCH', `/v1/records/${encodeURIComponent(id)}`, { body: patch, idempotencyKey, ...options });
  if (response.status === 404) return undefined;
  assertOk(response);
  return summarized(parseBody(recordSchema, response));
}

function summarized(record: ApiRecord): ApiRecord {
  return truncateStrings(record, DEFAULT_SUMMARY_LIMITS.maxStringLength);
}

/** The body, checked against what this tool expects: an API that changed its answers is an error the operator must see. */
function parseBody<T>(schema: z.ZodType<T>, response: ApiResponse): T {
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    throw new ToolError('bad_upstream_response', 'The API answered with data this tool does not understand.');
  }
  return parsed.data;
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
