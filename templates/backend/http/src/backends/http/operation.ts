/**
 * One API operation as a tool calls it: the tools `mcp-gen import openapi` writes each hold an
 * `Operation` (method, path template, where each argument goes) and hand it their input here.
 *
 * - path parameters are URL-encoded into the path template (`/pets/{petId}`): an argument can
 *   never add a path segment or leave HTTP_API_BASE_URL;
 * - query and header parameters go as given (headers the backend sets itself, the credential
 *   first, are never the call's to give); a query array goes as one comma-separated value, or
 *   as one pair per item where the binding says `explode` (`status=a&status=b`); body
 *   parameters make one JSON object, or a `json` parameter is the whole body; with `encoding:
 *   'form'` they go as application/x-www-form-urlencoded fields instead, arrays like a query's;
 * - the call carries the tenant's own API credential (the backend adds it), never the MCP
 *   client's token; GET and HEAD are retried on transient failures, other methods make one
 *   attempt unless the tool declares the write safe to repeat (an imported PUT or DELETE does:
 *   see IDEMPOTENT_METHODS);
 * - a DELETE that was repeated and then answered 404 or 410 succeeds with `alreadyGone`: the
 *   resource is gone, which is what the call asked for, and an earlier attempt whose answer was
 *   lost may be what deleted it;
 * - an answer outside 2xx is the business error the model reads (`[not_found]`,
 *   `[invalid_request]`, `[conflict]` …, see assertOk); a long answer is shortened;
 * - an answer the document types (`answer`) is checked before it is shortened: one off its
 *   documented schema is the API breaking its contract, `[upstream_contract]` naming the first
 *   path that differs, never an invalid result of the tool. That check is the only parse of an
 *   answer nothing shortened: the pipeline's output check takes it as proven
 *   (pipeline/validated-output.ts).
 */
import { z } from 'zod';

import { ToolError } from '../../tool-model/tool-error.js';
import { DEFAULT_SUMMARY_LIMITS, pathText, summarizeValue, type OmittedItems } from '../../pipeline/summarize.js';
import { markFieldChecked } from '../../pipeline/validated-output.js';
import { assertOk, type CallHeaders, type HttpApiBackend, type QueryValue, type ReadMethod, type WriteMethod } from './http-backend.js';

export type ParamLocation = 'path' | 'query' | 'header' | 'body' | 'json';

/** `T`: the answer's data as the document types it (`answer`); unknown when untyped. */
export interface Operation<T = unknown> {
  method: ReadMethod | WriteMethod;
  /** Relative to HTTP_API_BASE_URL, with a `{name}` per path parameter. */
  path: string;
  /** Tool argument -> where it goes and its name on the wire. An argument not listed is not sent. */
  params: Record<string, { in: ParamLocation; name: string; explode?: boolean }>;
  /** Values sent on every call (parameters the model never sees). */
  fixed: Array<{ in: ParamLocation; name: string; value: string | number | boolean }>;
  /** The documented 2xx JSON answer, the tool's `data` (absent: untyped, not checked). */
  answer?: z.ZodType<T>;
  /** `form`: body parameters go as application/x-www-form-urlencoded fields; absent: as JSON. */
  encoding?: 'form';
}

/**
 * Methods whose repeat changes nothing more than one call (RFC 9110 §9.2.2): PUT replaces the
 * resource with the same representation again, DELETE removes what is already removed. Imported
 * tools of these methods retry transient failures like a read; POST and PATCH make one attempt.
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** The output field a DELETE's result carries when it found the resource already gone (see callOperation). */
export const alreadyGoneField = {
  alreadyGone: z
    .literal(true)
    .optional()
    .describe('The resource was already gone when a repeated attempt of this DELETE reached the API (404 or 410): nothing is left to delete, and an earlier attempt whose answer was lost may have deleted it'),
};

/** A type, not an interface: it is a record of fields, as a tool's structured result is. */
export type OperationResult<T = unknown> = {
  /** The HTTP status the API answered. */
  status: number;
  /** A repeated DELETE found nothing left to delete. */
  alreadyGone?: true;
  /** Its answer: JSON as parsed, else text; absent when empty. */
  data?: T;
  /** Lists in `data` cut to DEFAULT_SUMMARY_LIMITS.maxItems: where, and how many items they had. */
  omitted?: OmittedItems[];
};

export interface CallOptions {
  /** Sent as Idempotency-Key on writes (the tool call's request id). */
  idempotencyKey?: string;
  /** The write may be repeated after a lost answer (see SendOptions.idempotent). */
  idempotent?: boolean;
}

/** A query or form value on the wire: a list one pair per item (`explode`) or comma-joined; an object as JSON. */
function wireValue(value: unknown, explode: boolean | undefined): QueryValue {
  if (Array.isArray(value)) return explode ? value.map(String) : value.map(String).join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : (value as QueryValue);
}

/**
 * The request an operation makes for `input`: its path, query, headers and body (for a form
 * operation, the form's fields as `wireValue` gives them).
 */
export function requestFor(operation: Operation, input: Record<string, unknown>) {
  const path: Record<string, string> = {};
  const query: Record<string, QueryValue> = {};
  const form = operation.encoding === 'form';
  const headers: CallHeaders = {};
  let body: Record<string, unknown> | undefined;
  let json: unknown;
  const place = (where: { in: ParamLocation; name: string; explode?: boolean }, value: unknown) => {
    if (value === undefined) return;
    switch (where.in) {
      case 'path':
        path[where.name] = encodeURIComponent(String(value));
        break;
      case 'query':
        query[where.name] = wireValue(value, where.explode);
        break;
      case 'header':
        headers[where.name] = String(value);
        break;
      case 'body':
        body = { ...body, [where.name]: form ? wireValue(value, where.explode) : value };
        break;
      case 'json':
        json = value;
        break;
    }
  };
  for (const fixed of operation.fixed) place(fixed, fixed.value);
  for (const [name, where] of Object.entries(operation.params)) place(where, input[name]);
  const resolved = operation.path.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const value = path[name];
    if (value === undefined || value === '') throw new Error(`operation ${operation.method} ${operation.path}: no value for {${name}}`);
    return value;
  });
  return { path: resolved, query, headers, body: json !== undefined ? json : body };
}

export async function callOperation<T = unknown>(
  api: HttpApiBackend,
  operation: Operation<T>,
  input: Record<string, unknown>,
  options: CallOptions = {},
): Promise<OperationResult<T>> {
  const request = requestFor(operation, input);
  const response =
    operation.method === 'GET' || operation.method === 'HEAD'
      ? await api.get(request.path, request.query, { method: operation.method, headers: request.headers })
      : await api.send(operation.method, request.path, {
          query: request.query,
          headers: request.headers,
          ...(operation.encoding === 'form' ? { form: request.body as Record<string, QueryValue> | undefined } : { body: request.body }),
          idempotencyKey: options.idempotencyKey,
          idempotent: options.idempotent,
        });
  // A DELETE repeated after a lost answer finds the resource gone: the caller's aim holds, and
  // `[not_found]` would tell the model its DELETE failed when the first attempt probably did it.
  if (operation.method === 'DELETE' && response.attempts > 1 && (response.status === 404 || response.status === 410)) {
    return { status: response.status, alreadyGone: true };
  }
  assertOk(response);
  if (response.body === undefined) return { status: response.status };
  const answer = operation.answer ? checkAnswer(`${operation.method} ${operation.path}`, operation.answer, response.body) : undefined;
  const summary = summarizeValue(response.body as T, DEFAULT_SUMMARY_LIMITS);
  if (answer !== undefined && summary.lists.length === 0 && summary.shortenedStrings === 0) {
    // Nothing was cut: `data` is the answer as checked, which the tool's outputSchema types as
    // `answer` too, so the pipeline does not parse it again (pipeline/validated-output.ts).
    return markFieldChecked({ status: response.status, data: answer.data }, 'data', operation.answer!);
  }
  return { status: response.status, data: summary.value, ...(summary.lists.length > 0 ? { omitted: summary.lists } : {}) };
}

/** zod's names of the types a document's schema says, in JSON Schema's words. */
const JSON_WORDS: Record<string, string> = { record: 'object', int: 'integer' };

/** What a JSON value is, as the error says it: `null`, `array`, `string`, … */
function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'undefined' ? 'nothing' : typeof value;
}

/**
 * `body` as `answer` parses it (in a box: the answer may be null or false); throws
 * `upstream_contract` when it is not what the document says the operation answers.
 */
function checkAnswer<T>(label: string, answer: z.ZodType<T>, body: unknown): { data: T } {
  const checked = answer.safeParse(body);
  if (checked.success) return { data: checked.data };
  const issue = checked.error.issues[0]!;
  const got = kindOf(issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], body));
  const expected = issue.code === 'invalid_type' ? (JSON_WORDS[issue.expected] ?? issue.expected) : issue.code === 'invalid_union' ? 'one of the documented shapes' : issue.message;
  throw new ToolError(
    'upstream_contract',
    `The API's answer does not match its documented schema at ${pathText(issue.path, 'data')}: expected ${expected}, got ${got}. The API may have changed; tell the operator.`,
    { operation: label, issues: checked.error.issues.slice(0, 5) },
  );
}
