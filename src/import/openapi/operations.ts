/**
 * A resolved OpenAPI document (3.0, 3.1 or Swagger 2.0) as one list of operations in one shape:
 * parameters by location, the JSON request body, the 2xx JSON answer, the scopes its security
 * requirements name. Operations this import cannot call (a request body that is not JSON) are
 * listed with the reason they are skipped.
 */
import type { HTTP_METHODS } from '../../spec/project-spec.js';

export type HttpMethod = (typeof HTTP_METHODS)[number];
export type JsonSchema = Record<string, unknown>;

export interface ApiParameter {
  /** Its name in the document (on the wire). */
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
  /** A query array sent as one `name=value` pair per item, not as one comma-separated value. */
  explode?: boolean;
}

export interface ApiOperation {
  method: HttpMethod;
  path: string;
  operationId?: string;
  /** operationId, else `METHOD /path`: how the overlay names it. */
  key: string;
  tags: string[];
  summary?: string;
  description?: string;
  deprecated: boolean;
  parameters: ApiParameter[];
  body?: { schema: JsonSchema; required: boolean; description?: string };
  response?: { status: string; description?: string; schema?: JsonSchema };
  /** Every 2xx answer's JSON schema, by status; none when a 2xx answer is documented as other than JSON. */
  answers?: JsonSchema[];
  /** The scopes of its (or the document's) first security requirement that names any; undefined: none named. */
  scopes?: string[];
  /** Why it cannot become a tool, when it cannot. */
  skipped?: string;
}

const METHODS: Record<string, HttpMethod> = { get: 'GET', head: 'HEAD', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE' };

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

function isJsonType(type: string): boolean {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return bare === 'application/json' || bare.endsWith('+json') || bare === '*/*';
}

/** Every operation of the document, sorted by path then method (a stable order across re-imports). */
export function listOperations(document: Record<string, unknown>): ApiOperation[] {
  const swagger2 = typeof document.swagger === 'string';
  const paths = isObject(document.paths) ? document.paths : {};
  const documentSecurity = Array.isArray(document.security) ? document.security : undefined;
  const documentConsumes = Array.isArray(document.consumes) ? (document.consumes as string[]) : undefined;
  const operations: ApiOperation[] = [];
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path];
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters.filter(isObject) : [];
    for (const [verb, method] of Object.entries(METHODS)) {
      const op = item[verb];
      if (!isObject(op)) continue;
      const operationId = text(op.operationId);
      const operation: ApiOperation = {
        method,
        path,
        ...(operationId ? { operationId } : {}),
        key: operationId ?? `${method} ${path}`,
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
        ...(text(op.summary) ? { summary: text(op.summary) } : {}),
        ...(text(op.description) ? { description: text(op.description) } : {}),
        deprecated: op.deprecated === true,
        parameters: [],
      };
      // Operation-level parameters replace path-level ones of the same name and location.
      const own = Array.isArray(op.parameters) ? op.parameters.filter(isObject) : [];
      const merged = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      for (const param of merged) {
        const where = param.in;
        const name = text(param.name);
        if (!name) continue;
        if (where === 'path' || where === 'query' || where === 'header') {
          operation.parameters.push({
            name,
            in: where,
            required: where === 'path' || param.required === true,
            ...(text(param.description) ? { description: text(param.description) } : {}),
            schema: swagger2 ? swagger2Schema(param) : isObject(param.schema) ? param.schema : {},
            ...(where === 'query' && repeatsArray(param, swagger2) ? { explode: true } : {}),
          });
        } else if (where === 'body' && isObject(param.schema)) {
          operation.body = { schema: param.schema, required: param.required === true, ...(text(param.description) ? { description: text(param.description) } : {}) };
        } else if (where === 'formData') {
          operation.skipped = 'its request body is form data; only JSON bodies are imported';
        } else if (where === 'cookie' && param.required === true) {
          operation.skipped = `it needs the cookie "${name}"; cookies are not sent`;
        }
      }
      if (swagger2 && operation.body) {
        const consumes = Array.isArray(op.consumes) ? (op.consumes as string[]) : documentConsumes;
        if (consumes && consumes.length > 0 && !consumes.some(isJsonType)) operation.skipped = `its request body is ${consumes.join(', ')}; only JSON bodies are imported`;
      }
      if (!swagger2 && isObject(op.requestBody)) {
        const content = isObject(op.requestBody.content) ? op.requestBody.content : {};
        const json = Object.keys(content).find(isJsonType);
        if (json !== undefined) {
          const media = content[json];
          operation.body = {
            schema: isObject(media) && isObject(media.schema) ? media.schema : {},
            required: op.requestBody.required === true,
            ...(text(op.requestBody.description) ? { description: text(op.requestBody.description) } : {}),
          };
        } else if (Object.keys(content).length > 0) {
          operation.skipped = `its request body is ${Object.keys(content).join(', ')}; only JSON bodies are imported`;
        }
      }
      const response = successResponse(op, swagger2);
      if (response) operation.response = response;
      const answers = jsonAnswers(op, swagger2);
      if (answers) operation.answers = answers;
      const scopes = scopesOf(Array.isArray(op.security) ? op.security : documentSecurity);
      if (scopes) operation.scopes = scopes;
      operations.push(operation);
    }
  }
  return operations;
}

/**
 * How a query array goes on the wire: OpenAPI 3's default (style form, explode true) and Swagger
 * 2.0's `collectionFormat: multi` repeat the name per item (`status=a&status=b`); `explode: false`
 * and Swagger 2.0's default csv join the items with commas.
 */
function repeatsArray(param: Record<string, unknown>, swagger2: boolean): boolean {
  if (swagger2) return param.type === 'array' && param.collectionFormat === 'multi';
  const schema = isObject(param.schema) ? param.schema : {};
  const isArray = schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'));
  return isArray && (param.style === undefined || param.style === 'form') && param.explode !== false;
}

/** A Swagger 2.0 parameter carries its schema keywords itself. */
function swagger2Schema(param: Record<string, unknown>): JsonSchema {
  const { name: _n, in: _i, required: _r, description: _d, collectionFormat: _c, allowEmptyValue: _a, ...schema } = param;
  return schema;
}

/** The lowest 2xx answer, with its JSON schema when it has one. */
function successResponse(op: Record<string, unknown>, swagger2: boolean): ApiOperation['response'] {
  const responses = isObject(op.responses) ? op.responses : {};
  const status = Object.keys(responses).filter((code) => /^2(\d\d|XX)$/i.test(code)).sort()[0];
  if (status === undefined) return undefined;
  const answer = responses[status];
  if (!isObject(answer)) return { status };
  const description = text(answer.description);
  let schema: JsonSchema | undefined;
  if (swagger2) {
    if (isObject(answer.schema)) schema = answer.schema;
  } else if (isObject(answer.content)) {
    const json = Object.keys(answer.content).find(isJsonType);
    const media = json !== undefined ? answer.content[json] : undefined;
    if (isObject(media) && isObject(media.schema)) schema = media.schema;
  }
  return { status, ...(description ? { description } : {}), ...(schema ? { schema } : {}) };
}

/**
 * The schemas of the 2xx answers with a JSON body, by status (an answer without a body adds
 * none); undefined when one is documented with a body that is not JSON, which the tool cannot type.
 */
function jsonAnswers(op: Record<string, unknown>, swagger2: boolean): JsonSchema[] | undefined {
  const responses = isObject(op.responses) ? op.responses : {};
  const schemas: JsonSchema[] = [];
  for (const status of Object.keys(responses).filter((code) => /^2(\d\d|XX)$/i.test(code)).sort()) {
    const answer = responses[status];
    if (!isObject(answer)) continue;
    if (swagger2) {
      const produces = Array.isArray(op.produces) ? (op.produces as unknown[]).filter((t): t is string => typeof t === 'string') : [];
      if (isObject(answer.schema)) {
        if (produces.length > 0 && !produces.some(isJsonType)) return undefined;
        schemas.push(answer.schema);
      }
      continue;
    }
    const content = isObject(answer.content) ? answer.content : {};
    const types = Object.keys(content);
    if (types.length === 0) continue;
    const json = types.find(isJsonType);
    const media = json !== undefined ? content[json] : undefined;
    if (json === undefined || !isObject(media)) return undefined;
    schemas.push(isObject(media.schema) ? media.schema : {});
  }
  return schemas;
}

/** Security requirements are alternatives: the first that names scopes gives them. */
function scopesOf(requirements: unknown[] | undefined): string[] | undefined {
  for (const requirement of requirements ?? []) {
    if (!isObject(requirement)) continue;
    const scopes = Object.values(requirement).flatMap((list) => (Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : []));
    if (scopes.length > 0) return [...new Set(scopes)].sort();
  }
  return undefined;
}
