/**
 * Tool and parameter names for imported operations: verb-first snake_case, at most 64
 * characters, the same for the same operation on every import (they depend on the operation
 * alone, never on the order or the number of the others, except to break a tie).
 */
import { createHash } from 'node:crypto';
import type { ApiOperation, HttpMethod } from './operations.js';

export const MAX_TOOL_NAME = 64;
const MAX_PARAM_NAME = 64;

/** The verb a method's tool starts with when its operationId does not start with one. */
const METHOD_VERBS: Record<HttpMethod, string> = { GET: 'get', HEAD: 'check', POST: 'create', PUT: 'replace', PATCH: 'update', DELETE: 'delete' };

/** `listPets`, `get-user.by_id`, `HTTPStatus` -> their lower-case words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export interface DerivedName {
  name: string;
  /** The name before clipping, when it was longer than 64 characters. */
  clippedFrom?: string;
}

/**
 * From the operationId (`listPets` -> `list_pets`; `petById` -> `get_pet_by_id`), else from the
 * method and the path (`GET /pets` -> `list_pets`, `GET /pets/{petId}` -> `get_pets_by_pet_id`,
 * `DELETE /v1/pets/{petId}` -> `delete_pets_by_pet_id`). A name over 64 characters keeps its
 * first 55 and ends in `_` and 8 hex digits of the operation's key, so it stays unique and stable.
 */
export function toolNameFor(operation: Pick<ApiOperation, 'operationId' | 'method' | 'path' | 'key'>, verbs: ReadonlySet<string>): DerivedName {
  let parts: string[];
  if (operation.operationId !== undefined && words(operation.operationId).length > 0) {
    parts = words(operation.operationId);
    if (!verbs.has(parts[0]!)) parts.unshift(METHOD_VERBS[operation.method]);
  } else {
    const segments = operation.path.split('/').filter((s) => s !== '' && !/^v\d+$/i.test(s));
    const literal = segments.filter((s) => !s.startsWith('{')).flatMap(words);
    const last = segments.at(-1);
    const byParam = last?.startsWith('{') ? ['by', ...words(last)] : [];
    const verb = operation.method === 'GET' && byParam.length === 0 ? 'list' : METHOD_VERBS[operation.method];
    parts = [verb, ...(literal.length > 0 ? literal : ['root']), ...byParam];
  }
  const name = parts.join('_');
  if (name.length <= MAX_TOOL_NAME) return { name };
  return { name: `${name.slice(0, MAX_TOOL_NAME - 9).replace(/_+$/, '')}_${shortHash(operation.key, 8)}`, clippedFrom: name };
}

/** Two operations that would share a name: the first (by path, then method) keeps it, the others get 6 hex digits of their key. */
export function uniqueName(name: string, key: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const suffix = `_${shortHash(key, 6)}`;
  return `${name.slice(0, MAX_TOOL_NAME - suffix.length).replace(/_+$/, '')}${suffix}`;
}

/** A wire name as a parameter name: kept when it is an identifier, else snake_case (`X-Request-Id` -> `x_request_id`). */
export function paramNameFor(wireName: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(wireName)) return wireName;
  let name = words(wireName).join('_') || 'param';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  return name.slice(0, MAX_PARAM_NAME).replace(/_+$/, '') || 'param';
}
