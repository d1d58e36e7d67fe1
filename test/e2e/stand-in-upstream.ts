/**
 * A stand-in for the API an OpenAPI document describes (OpenAPI 3.x or Swagger 2.0), served on
 * 127.0.0.1, for end-to-end tests of imported repos. Each request must be one of the document's
 * operations (method and path template, under the document's base path), carry one tenant's own
 * credential, send every required query parameter and no undocumented one, and, for a JSON body
 * or a form (application/x-www-form-urlencoded: OpenAPI 3's requestBody, Swagger 2.0's formData),
 * in the media type the document says, only properties of its schema and every required one. What it accepted is in `seen`, what it
 * refused (and why) in `refused`. It answers with the operation's documented success status and
 * example, or a minimal body valid for the documented schema when there is no example.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Seen {
  method: string;
  /** The path below the base path. */
  path: string;
  operationId: string;
  tenant: string;
  query: Record<string, string>;
  body: unknown;
  /** The operation's documented header parameters the request carried; absent when none. */
  headers?: Record<string, string>;
}

export interface StandIn {
  /** The API's base URL (with the base path), what HTTP_API_BASE_URL is set to. */
  url: string;
  seen: Seen[];
  /** Requests the document does not allow, each with why. */
  refused: string[];
  /**
   * Answers the operation (by operationId) with `body` instead of its documented answer, with
   * the documented status, until called again without a body: an API off its own document.
   */
  answerWith(operationId: string, body?: unknown): void;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** Each tenant's own API credential (what HTTP_API_CREDENTIALS holds). */
  credentials: Record<string, string>;
  /** Where the API lives below the origin (Swagger 2.0 basePath, a server URL's path); default none. */
  basePath?: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

interface DocumentOperation {
  method: string;
  template: string;
  pattern: RegExp;
  /** Literal segments: of two templates a path matches, the one with more is meant. */
  literals: number;
  operationId: string;
  params: Json[];
  /** `form`: the document takes it as application/x-www-form-urlencoded, not JSON. */
  body?: { schema: Json | undefined; required: boolean; form?: boolean };
  answer: { status: number; body: unknown };
}

const isJson = (mediaType: string) => /^application\/(?:[\w.+-]*\+)?json\b/.test(mediaType);
const FORM = 'application/x-www-form-urlencoded';
const isForm = (mediaType: string) => mediaType.split(';')[0]!.trim().toLowerCase() === FORM;

/** The first JSON media type of a content map (OpenAPI 3). */
function jsonContent(content: Json | undefined): Json | undefined {
  const key = Object.keys(content ?? {}).find(isJson);
  return key === undefined ? undefined : (content![key] as Json);
}

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-02T03:04:05Z',
  date: '2026-01-02',
  email: 'someone@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** A minimal value `schema` accepts: its example if it has one, else only its required parts. */
export function minimalValue(schema: Json | undefined, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 12) return null;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as Json[]).map((part) => minimalValue(part, depth + 1));
    if (parts.every((part) => part !== null && typeof part === 'object' && !Array.isArray(part))) return Object.assign({}, ...parts);
    return parts[0];
  }
  for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(schema[key])) return minimalValue(schema[key][0] as Json, depth + 1);
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  const type = types.find((t) => t !== 'null') ?? (schema.properties ? 'object' : schema.items ? 'array' : types[0]);
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Json;
      return Object.fromEntries(((schema.required ?? []) as string[]).map((name) => [name, minimalValue(properties[name] as Json, depth + 1)]));
    }
    case 'array':
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => minimalValue(schema.items as Json, depth + 1));
    case 'string':
      return FORMATS[schema.format as string] ?? 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 0);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

/** The properties and required properties of an object schema, through allOf / oneOf / anyOf; undefined when it names none. */
function objectShape(schema: Json | undefined, depth = 0): { properties: Set<string>; required: Set<string> } | undefined {
  if (!schema || depth > 12) return undefined;
  const properties = new Set<string>(Object.keys((schema.properties ?? {}) as Json));
  const required = new Set<string>((schema.required ?? []) as string[]);
  let named = schema.properties !== undefined;
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    for (const part of (schema[key] ?? []) as Json[]) {
      const shape = objectShape(part, depth + 1);
      if (!shape) continue;
      named = true;
      for (const p of shape.properties) properties.add(p);
      if (key === 'allOf') for (const r of shape.required) required.add(r);
    }
  }
  // Free-form objects (additionalProperties) take any property.
  if (!named || (schema.additionalProperties !== undefined && schema.additionalProperties !== false)) return undefined;
  return { properties, required };
}

/**
 * An example's value. GitHub's document refers an example's `value` to an Example Object
 * (`{ value, summary, x-github-… }`) rather than to the value itself: that object's value.
 */
function unwrapExample(example: unknown): unknown {
  const isExampleObject = (value: unknown): value is Json =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value &&
    Object.keys(value).every((key) => ['value', 'summary', 'description', 'externalValue'].includes(key) || key.startsWith('x-'));
  return isExampleObject(example) ? example.value : example;
}

/** The documented success answer: the first 2xx (else `default`), its example or a minimal body of its schema. */
function successAnswer(responses: Json, swagger2: boolean): { status: number; body: unknown } {
  const code = Object.keys(responses).find((c) => /^2/.test(c)) ?? (responses['default'] ? 'default' : undefined);
  const status = code === undefined || code === 'default' ? 200 : /^\d+$/.test(code) ? Number(code) : 200;
  const response = (code === undefined ? {} : responses[code]) as Json;
  if (status === 204) return { status, body: undefined };
  if (swagger2) {
    const example = Object.entries((response.examples ?? {}) as Json).find(([type]) => isJson(type))?.[1];
    if (example !== undefined) return { status, body: example };
    return { status, body: response.schema ? minimalValue(response.schema as Json) : undefined };
  }
  const content = jsonContent(response.content as Json | undefined);
  if (!content) return { status, body: undefined };
  const example = unwrapExample(content.example ?? (Object.values((content.examples ?? {}) as Json)[0] as Json | undefined)?.value);
  return { status, body: example !== undefined ? example : minimalValue(content.schema as Json | undefined) };
}

/** A form's fields: a name sent more than once holds every value, in order. */
function fieldsOf(params: URLSearchParams): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    fields[name] = values.length === 1 ? values[0]! : values;
  }
  return fields;
}

async function operationsOf(raw: Json): Promise<DocumentOperation[]> {
  const document = (await SwaggerParser.dereference(structuredClone(raw) as never)) as Json;
  const swagger2 = typeof document.swagger === 'string';
  return Object.entries(document.paths as Json).flatMap(([template, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, raw]) => {
        const op = raw as Json;
        const byKey = new Map<string, Json>();
        for (const p of [...(((item as Json).parameters ?? []) as Json[]), ...((op.parameters ?? []) as Json[])]) byKey.set(`${p.in} ${p.name}`, p);
        const params = [...byKey.values()];
        let body: DocumentOperation['body'];
        if (swagger2) {
          const param = params.find((p) => p.in === 'body');
          const fields = params.filter((p) => p.in === 'formData');
          const consumes = (op.consumes ?? document.consumes ?? []) as string[];
          if (param) body = { schema: param.schema as Json, required: param.required === true };
          else if (fields.length > 0 && (consumes.length === 0 || consumes.some(isForm))) {
            const required = fields.filter((p) => p.required === true).map((p) => p.name as string);
            body = { schema: { type: 'object', properties: Object.fromEntries(fields.map((p) => [p.name, p])), required }, required: required.length > 0, form: true };
          }
        } else if (op.requestBody) {
          const content = op.requestBody.content as Json;
          const json = jsonContent(content);
          const form = json ? undefined : Object.entries(content ?? {}).find(([type]) => isForm(type))?.[1];
          body = { schema: (json ?? form)?.schema as Json | undefined, required: op.requestBody.required === true, ...(form ? { form: true } : {}) };
        }
        return {
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
          literals: template.split('/').filter((segment) => segment !== '' && !segment.includes('{')).length,
          operationId: String(op.operationId ?? `${method.toUpperCase()} ${template}`),
          params,
          body,
          answer: successAnswer((op.responses ?? {}) as Json, swagger2),
        };
      }),
  );
}

export async function startStandIn(raw: Json, options: StandInOptions): Promise<StandIn> {
  const operations = await operationsOf(raw);
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const seen: Seen[] = [];
  const refused: string[] = [];
  const answers = new Map<string, unknown>();
  const tenants = new Map(Object.entries(options.credentials).map(([tenant, secret]) => [`Bearer ${secret}`, tenant]));
  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const refuse = (status: number, why: string) => {
        refused.push(`${req.method} ${url.pathname}: ${why}`);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: why }));
      };
      if (!url.pathname.startsWith(`${basePath}/`)) return refuse(404, `not under the base path ${basePath}`);
      const path = url.pathname.slice(basePath.length);
      const match = operations
        .filter((o) => o.method === req.method && o.pattern.test(path))
        .sort((a, b) => b.literals - a.literals)[0];
      if (!match) return refuse(404, 'no such operation in the document');
      const tenant = tenants.get(String(req.headers.authorization));
      if (!tenant) return refuse(401, `credential ${String(req.headers.authorization)} is no tenant's`);
      const documented = new Set(match.params.filter((p) => p.in === 'query').map((p) => p.name as string));
      for (const name of url.searchParams.keys()) if (!documented.has(name)) return refuse(400, `query parameter ${name} is not in the document`);
      for (const p of match.params) if (p.in === 'query' && p.required && !url.searchParams.has(p.name)) return refuse(400, `query parameter ${p.name} is required`);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (text !== '') {
        if (!match.body) return refuse(400, 'the operation takes no body');
        if (match.body.form) {
          if (!isForm(String(req.headers['content-type']))) return refuse(415, `the body is not a form (${FORM})`);
          body = fieldsOf(new URLSearchParams(text));
        } else {
          if (!String(req.headers['content-type']).includes('application/json')) return refuse(415, 'the body is not JSON');
          body = JSON.parse(text);
        }
        const shape = objectShape(match.body.schema);
        if (shape) {
          if (body === null || typeof body !== 'object' || Array.isArray(body)) return refuse(400, 'the body is not an object');
          for (const key of Object.keys(body)) if (!shape.properties.has(key)) return refuse(400, `body property ${key} is not in the schema`);
          for (const key of shape.required) if (!(key in body)) return refuse(400, `body property ${key} is required`);
        } else if (match.body.schema?.type === 'array' && !Array.isArray(body)) return refuse(400, 'the body is not an array');
      } else if (match.body?.required) return refuse(400, 'the body is required');
      const headers = Object.fromEntries(
        match.params.filter((p) => p.in === 'header' && req.headers[String(p.name).toLowerCase()] !== undefined).map((p) => [p.name as string, String(req.headers[String(p.name).toLowerCase()])]),
      );
      seen.push({ method: req.method!, path, operationId: match.operationId, tenant, query: Object.fromEntries(url.searchParams), body, ...(Object.keys(headers).length > 0 ? { headers } : {}) });
      const { status } = match.answer;
      const answer = answers.has(match.operationId) ? answers.get(match.operationId) : match.answer.body;
      if (answer === undefined || status === 204) return void res.writeHead(status).end();
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}${basePath}/`,
    seen,
    refused,
    answerWith: (operationId, body) => {
      if (body === undefined) answers.delete(operationId);
      else answers.set(operationId, body);
    },
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
