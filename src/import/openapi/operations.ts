/**
 * A resolved OpenAPI document (3.0, 3.1 or Swagger 2.0) as one list of operations in one shape:
 * parameters by location, the JSON request body, the 2xx JSON answer, the scopes its security
 * requirements name. A form body (application/x-www-form-urlencoded, Swagger 2.0's formData)
 * is one too, with how it is encoded. Operations this import cannot call (a file upload, a
 * multipart or other body) are listed with the reason they are skipped.
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
  body?: {
    schema: JsonSchema;
    required: boolean;
    description?: string;
    /** `form`: sent as application/x-www-form-urlencoded (else JSON). */
    encoding?: 'form';
    /** A form's array properties sent as one `name=value` pair per item (the others comma-joined). */
    repeated?: string[];
  };
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

const FORM = 'application/x-www-form-urlencoded';
const bareType = (type: string) => type.split(';')[0]!.trim().toLowerCase();

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
      const formData: Array<Record<string, unknown>> = [];
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
          formData.push(param);
        } else if (where === 'cookie' && param.required === true) {
          operation.skipped = `it needs the cookie "${name}"; cookies are not sent`;
        }
      }
      const consumes = Array.isArray(op.consumes) ? (op.consumes as string[]) : documentConsumes;
      if (swagger2 && operation.body) {
        if (consumes && consumes.length > 0 && !consumes.some(isJsonType)) operation.skipped = `its request body is ${consumes.join(', ')}; only JSON and form bodies are imported`;
      }
      if (swagger2 && formData.length > 0) {
        const skipped = formSkipped(formData, consumes);
        if (skipped) operation.skipped = skipped;
        else operation.body = swagger2Form(formData);
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
        } else if (Object.keys(content).some((type) => bareType(type) === FORM)) {
          const media = content[Object.keys(content).find((type) => bareType(type) === FORM)!];
          const body = openApiForm(isObject(media) ? media : {}, op.requestBody.required === true, text(op.requestBody.description));
          if (typeof body === 'string') operation.skipped = body;
          else operation.body = body;
        } else if (Object.keys(content).length > 0) {
          operation.skipped = `its request body is ${Object.keys(content).join(', ')}; only JSON and form bodies are imported`;
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

/** Why a Swagger 2.0 operation's formData cannot be sent as a form, if it cannot. */
function formSkipped(formData: ReadonlyArray<Record<string, unknown>>, consumes: readonly string[] | undefined): string | undefined {
  const files = formData.filter((p) => p.type === 'file').map((p) => String(p.name));
  if (files.length > 0) return `it uploads a file (${files.join(', ')}); file uploads are not imported`;
  // formData is sent urlencoded unless the operation consumes only other types (multipart/form-data).
  if (consumes && consumes.length > 0 && !consumes.some((type) => bareType(type) === FORM)) return `its request body is ${consumes.join(', ')}; only JSON and form bodies are imported`;
  return undefined;
}

/** Swagger 2.0 formData parameters as one object body, sent as a form. */
function swagger2Form(formData: ReadonlyArray<Record<string, unknown>>): NonNullable<ApiOperation['body']> {
  const properties: Record<string, JsonSchema> = {};
  for (const param of formData) properties[String(param.name)] = { ...swagger2Schema(param), ...(text(param.description) ? { description: text(param.description) } : {}) };
  const required = formData.filter((p) => p.required === true).map((p) => String(p.name));
  const repeated = formData.filter((p) => p.type === 'array' && p.collectionFormat === 'multi').map((p) => String(p.name));
  return { schema: { type: 'object', properties, required }, required: required.length > 0, encoding: 'form', ...(repeated.length > 0 ? { repeated } : {}) };
}

/**
 * An OpenAPI 3 application/x-www-form-urlencoded body, or why it is skipped (a binary property:
 * a file). An array property repeats its name per item (style form, explode true: the default)
 * unless its `encoding` entry says otherwise.
 */
function openApiForm(media: Record<string, unknown>, required: boolean, description: string | undefined): NonNullable<ApiOperation['body']> | string {
  const schema = isObject(media.schema) ? media.schema : {};
  const properties = isObject(schema.properties) ? schema.properties : {};
  const files = Object.entries(properties).filter(([, p]) => isObject(p) && (p.format === 'binary' || (isObject(p.items) && p.items.format === 'binary'))).map(([name]) => name);
  if (files.length > 0) return `it uploads a file (${files.join(', ')}); file uploads are not imported`;
  if (Object.keys(properties).length === 0) return 'its form body names no fields; only JSON and form bodies with fields are imported';
  const encoding = isObject(media.encoding) ? media.encoding : {};
  const repeated = Object.entries(properties)
    .filter(([name, p]) => {
      if (!isObject(p) || !(p.type === 'array' || (Array.isArray(p.type) && p.type.includes('array')))) return false;
      const rule = isObject(encoding[name]) ? encoding[name] : {};
      return (rule.style === undefined || rule.style === 'form') && rule.explode !== false;
    })
    .map(([name]) => name);
  return { schema, required, ...(description ? { description } : {}), encoding: 'form', ...(repeated.length > 0 ? { repeated } : {}) };
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
