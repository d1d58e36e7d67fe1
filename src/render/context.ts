/** The render context: the spec as the templates see it (documented in templates/README.md). */
import { projectSlug, toolFileName, toolIdentifier, URI_TEMPLATE_VARIABLE } from '../spec/project-spec.js';
import { callParams, type CompleteProjectSpec, type CompletePromptSpec, type CompleteResourceSpec, type CompleteToolSpec } from '../spec/tool-defaults.js';
import { answerZodSource, inputZodSource, paramZodSource } from '../spec/param-zod.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';
import { queryContext, type QueryContext } from './query-context.js';
import { INSPECTOR_MAJOR, NODE_FLOOR } from './dependency-versions.js';

/** What a tool, a resource and a prompt each have: its name and where its files are. */
interface ItemContext {
  name: string;
  /** Path of its files below src/tools/ and test/tools/ (resources/, prompts/), without extension: `crm/search`. */
  fileName: string;
  /** From the folder of its file up to src/ (or test/): `../`, or `../../` in a namespace. */
  up: string;
  identifier: string;
  title: string;
  description: string;
  version: string;
}

export interface ToolContext extends ItemContext {
  access: 'read' | 'write';
  read: boolean;
  write: boolean;
  backend: string;
  scopes: string[];
  rateLimit: { perMinute: number } | null;
  /** Read tools: how long an answer is kept per tenant and arguments; null: not cached. */
  cache: { ttlSeconds: number } | null;
  /** The tool's own response budget in estimated tokens; null: the server's MAX_RESPONSE_TOKENS. */
  maxResponseTokens: number | null;
  /**
   * A cached read tool's test: a write tool on the same backend that creates (no approval, no
   * required `id`), with arguments its schema accepts, to show a write drops the cached answer.
   */
  cacheWriter: { name: string; arguments: string } | null;
  params: Array<CompleteToolSpec['params'][number] & { zod: string }>;
  /** The parameter the tool finds its one record by, or null: the handler gets (read) or updates (write) that record. */
  keyParam: string | null;
  inputZod: string;
  /** Write tools: 'client' (the user confirms) or 'human' (an approver grants); 'none' otherwise. */
  approval: 'none' | 'client' | 'human';
  /** A tool imported from a PostgreSQL schema: its query (templates/import/postgres/); null otherwise. */
  query: QueryContext | null;
  /** A tool imported from an OpenAPI operation (templates/operation/): the API call its handler makes; null otherwise. */
  http: HttpContext | null;
  /** One of a governed catalog's three tools: rendered by the catalog layer. */
  catalogRole: string | null;
}

/** An imported tool's API call as its templates see it. */
export interface HttpContext {
  method: string;
  path: string;
  /** `GET /pets/{petId}`, or the operationId when it has one. */
  label: string;
  /**
   * The fields of the binding the handler passes to callOperation (src/backends/http/operation.ts),
   * each its key and a JS literal of its value (JSON, indented to sit one level in); the template
   * writes the object around them, and `answer` after them when the answer is typed.
   */
  binding: Array<{ key: string; value: string }>;
  /** What a successful answer holds, for the output schema's `data`. */
  responseDescription: string;
  /** The zod of the documented 2xx JSON answer (`http.output`); null: untyped, `data` is z.unknown(). */
  answerZod: string | null;
  /**
   * JS literals for the tool's test of a typed answer (null when untyped or HEAD): an answer the
   * schema accepts, one off the schema (null: none made), and the words its error says.
   */
  answerSample: { valid: string; offSchema: string | null; where: string } | null;
  /** Its body goes as a form (application/x-www-form-urlencoded), not JSON. */
  form: boolean;
  /** JS literals for the tool's test: arguments its schema accepts, and (null without parameters) ones it refuses. */
  validArguments: string;
  invalidArguments: string | null;
}

/** A resource as its templates see it (templates/resource/). */
export interface ResourceContext extends ItemContext {
  /** Exactly one of `uri` (one resource) and `uriTemplate` (a family, with `variables`). */
  uri: string | null;
  uriTemplate: string | null;
  variables: string[];
  mimeType: string;
  /** Whether its text is JSON (application/json or +json). */
  json: boolean;
  backend: string;
  scopes: string[];
  rateLimit: { perMinute: number } | null;
}

/** A prompt as its templates see it (templates/prompt/). */
export interface PromptContext extends ItemContext {
  arguments: CompletePromptSpec['arguments'];
  message: string;
  scopes: string[];
  rateLimit: { perMinute: number } | null;
}

export interface RenderContext {
  generator: { name: string; version: string };
  /** `node.floor`: the oldest Node.js the repo runs on; `inspector`: the MCP Inspector package, at its major. */
  node: { floor: string };
  inspector: string;
  project: { name: string; slug: string; title: string; description: string };
  transport: { kind: string; stdio: boolean; http: boolean };
  /** `token`: jwt or oauth, the two that verify bearer tokens (the auth/token layer). */
  auth: { kind: string; none: boolean; apiKey: boolean; jwt: boolean; oauth: boolean; token: boolean };
  backends: Array<{ kind: string }>;
  backend: { sample: boolean; postgres: boolean; http: boolean };
  tools: ToolContext[];
  resources: ResourceContext[];
  prompts: PromptContext[];
  hasWriteTools: boolean;
  scopes: string[];
  /**
   * HTTP with authentication: the server may serve other machines, so the repo gets
   * compose.yaml and deploy/kubernetes/ (the `deploy` layer). A stdio server runs beside its
   * client, and auth "none" only listens on loopback: neither is deployed as a service.
   */
  networked: boolean;
  /** Whether any tool needs each approval mode. */
  approvals: { client: boolean; human: boolean; any: boolean };
  /** A governed catalog (`openapi.mode` "catalog"): its three tools, and its operations as the data module's text. */
  catalog: CatalogContext | null;
  tool?: ToolContext;
  resource?: ResourceContext;
  prompt?: PromptContext;
}

export interface CatalogContext {
  search: ToolContext;
  describe: ToolContext;
  call: ToolContext;
  count: number;
  /** The operations as a TypeScript array of JSON strings, one operation a line (src/api-catalog/operations.ts). */
  operations: string;
  /**
   * For the generated tests: two read operations without a rate limit of their own, a write one
   * without approval, one with approval human, a PUT or DELETE without approval (retried) and a
   * POST or PATCH without approval (one attempt).
   */
  sample: {
    read: string | null;
    otherRead: string | null;
    write: string | null;
    human: string | null;
    retried: string | null;
    once: string | null;
    /** A JS object literal: operation name -> an answer its documented schema accepts. */
    answers: string;
    /** The read operation's answer off its schema, and the words of its error; null: untyped. */
    readOffSchema: { answer: string; where: string } | null;
  };
}

export function renderContext(spec: CompleteProjectSpec): RenderContext {
  const kinds = new Set(spec.backends.map((b) => b.kind as string));
  const tools = spec.tools.map(toolContext);
  for (const tool of tools) if (tool.cache) tool.cacheWriter = cacheWriterFor(tool, tools);
  const operations = spec.catalog?.operations ?? [];
  // A catalog's operations are governed as tools are: their scopes and approvals count.
  const governed = [...spec.tools, ...operations];
  return {
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
    node: { floor: NODE_FLOOR },
    inspector: `@modelcontextprotocol/inspector@${INSPECTOR_MAJOR}`,
    project: { name: spec.name, slug: projectSlug(spec.name), title: spec.title, description: spec.description },
    transport: { kind: spec.transport, stdio: spec.transport !== 'http', http: spec.transport !== 'stdio' },
    auth: {
      kind: spec.auth,
      none: spec.auth === 'none',
      apiKey: spec.auth === 'api-key',
      jwt: spec.auth === 'jwt',
      oauth: spec.auth === 'oauth',
      token: spec.auth === 'jwt' || spec.auth === 'oauth',
    },
    backends: spec.backends.map((b) => ({ kind: b.kind })),
    backend: { sample: kinds.has('sample'), postgres: kinds.has('postgres'), http: kinds.has('http') },
    tools,
    resources: spec.resources.map(resourceContext),
    prompts: spec.prompts.map(promptContext),
    hasWriteTools: tools.some((t) => t.write),
    scopes: [...new Set([...governed, ...spec.resources, ...spec.prompts].flatMap((t) => t.scopes))].sort(),
    networked: isNetworked(spec),
    approvals: {
      client: governed.some((t) => t.approval === 'client'),
      human: governed.some((t) => t.approval === 'human'),
      any: governed.some((t) => t.approval !== 'none'),
    },
    catalog: spec.catalog ? catalogContext(spec.tools, spec.catalog.operations, tools) : null,
  };
}

function catalogContext(specTools: readonly CompleteToolSpec[], operations: readonly CompleteToolSpec[], tools: readonly ToolContext[]): CatalogContext {
  const role = (name: 'search' | 'describe' | 'call') => tools[specTools.findIndex((tool) => tool.catalogRole === name)]!;
  const lines = operations.map((op) => {
    const http = op.http!;
    const entry = {
      name: op.name,
      title: op.title,
      description: op.description,
      access: op.access,
      approval: op.approval,
      scopes: op.scopes,
      ...(op.rateLimit ? { rateLimit: op.rateLimit } : {}),
      version: op.version,
      tags: http.tags ?? [],
      params: callParams(op),
      operation: bindingOf(http),
      ...(http.response ? { response: http.response } : {}),
      ...(http.output ? { output: http.output } : {}),
    };
    // Each a string of JSON, parsed at start-up: a literal of a thousand objects is too much for tsc to type.
    return `  ${JSON.stringify(JSON.stringify(entry))},`;
  });
  const reads = operations.filter((op) => op.access === 'read' && !op.rateLimit);
  const unapproved = (methods: readonly string[]) => operations.find((op) => op.approval === 'none' && methods.includes(op.http!.method))?.name ?? null;
  const sample = {
    read: reads[0]?.name ?? null,
    otherRead: reads[1]?.name ?? null,
    write: operations.find((op) => op.access === 'write' && op.approval === 'none')?.name ?? null,
    human: operations.find((op) => op.approval === 'human')?.name ?? null,
    retried: unapproved(['PUT', 'DELETE']),
    once: unapproved(['POST', 'PATCH']),
  };
  // What the stand-in answers each sample operation: an answer its documented schema accepts.
  const typed = operations.filter((op) => Object.values(sample).includes(op.name) && op.http?.output);
  const answers = Object.fromEntries(typed.map((op) => [op.name, sampleAnswer(op.http!.output!)]));
  return {
    search: role('search'),
    describe: role('describe'),
    call: role('call'),
    count: operations.length,
    operations: lines.length === 0 ? '[]' : `[\n${lines.join('\n')}\n]`,
    sample: { ...sample, answers: JSON.stringify(answers, null, 2), readOffSchema: readOffSchema(operations.find((op) => op.name === sample.read)) },
  };
}

function readOffSchema(op: CompleteToolSpec | undefined): CatalogContext['sample']['readOffSchema'] {
  const output = op?.http?.method === 'GET' ? op.http.output : undefined;
  const sample = output ? answerSample(output) : null;
  return sample?.offSchema ? { answer: sample.offSchema, where: sample.where } : null;
}

/** See {@link RenderContext.networked}. */
export function isNetworked(spec: Pick<CompleteProjectSpec, 'transport' | 'auth'>): boolean {
  return spec.transport !== 'stdio' && spec.auth !== 'none';
}

export function toolContext(tool: CompleteToolSpec): ToolContext {
  return {
    ...itemContext(tool),
    access: tool.access,
    read: tool.access === 'read',
    write: tool.access === 'write',
    backend: tool.backend,
    scopes: tool.scopes,
    rateLimit: tool.rateLimit ?? null,
    cache: tool.cache ?? null,
    maxResponseTokens: tool.maxResponseTokens ?? null,
    cacheWriter: null,
    params: tool.params.map((p) => ({ ...p, zod: paramZodSource(p) })),
    keyParam: keyParam(tool),
    // approvalId (human approval) is part of the input schema, not of the tool's own params.
    inputZod: inputZodSource(callParams(tool)),
    approval: tool.approval,
    query: tool.query ? queryContext(tool.query, tool.params) : null,
    http: tool.http ? httpContext(tool.http, tool.params) : null,
    catalogRole: tool.catalogRole ?? null,
  };
}

/** Where an operation's arguments go on the wire: an imported tool's `operation` and a catalog entry's alike. */
function bindingOf(http: NonNullable<CompleteToolSpec['http']>) {
  return { method: http.method, path: http.path, params: http.params, fixed: http.fixed, ...(http.encoding ? { encoding: http.encoding } : {}) };
}

function httpContext(http: NonNullable<CompleteToolSpec['http']>, params: CompleteToolSpec['params']): HttpContext {
  const binding = bindingOf(http);
  const literal = (value: Record<string, unknown>) => (Object.keys(value).length === 0 ? '{}' : JSON.stringify(value, null, 2));
  const first = params[0];
  return {
    method: http.method,
    path: http.path,
    label: http.operationId ?? `${http.method} ${http.path}`,
    binding: Object.entries(binding).map(([key, value]) => ({ key: JSON.stringify(key), value: JSON.stringify(value, null, 2).replaceAll('\n', '\n  ') })),
    responseDescription: http.response ?? 'The API\'s answer',
    answerZod: http.output ? answerZodSource(http.output) : null,
    answerSample: http.output && http.method !== 'HEAD' ? answerSample(http.output) : null,
    form: http.encoding === 'form',
    // A form's optional fields too, so its test sends a form.
    validArguments: literal(Object.fromEntries(params.filter((p) => p.required || (http.encoding === 'form' && http.params[p.name]?.in === 'body')).map((p) => [p.name, sampleValue(p)]))),
    invalidArguments: first
      ? literal({ ...Object.fromEntries(params.filter((p) => p.required).map((p) => [p.name, sampleValue(p)])), [first.name]: wrongValue(first) })
      : null,
  };
}

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2026-01-02T03:04:05Z',
  date: '2026-01-02',
  email: 'someone@example.com',
  uri: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** A value the parameter's schema accepts. */
function sampleValue(param: CompleteToolSpec['params'][number]): unknown {
  if (param.default !== undefined) return param.default;
  const first = param.enum?.[0];
  switch (param.type) {
    case 'string':
      return first ?? (param.format ? FORMAT_SAMPLES[param.format] : 'a');
    case 'number':
    case 'integer':
      return first ?? 1;
    case 'boolean':
      return true;
    case 'string[]':
      return [first ?? 'a'];
    case 'object':
      return {};
    case 'array':
      return [];
  }
}

type Schema = Record<string, unknown>;

/** A value the reduced answer schema accepts: every property filled in, lists of one item. */
function sampleAnswer(schema: Schema): unknown {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== undefined && t !== 'null');
  if (Array.isArray(schema.anyOf)) return sampleAnswer(schema.anyOf[0] as Schema);
  switch (type) {
    case 'string':
      return 'a';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return schema.items ? [sampleAnswer(schema.items as Schema)] : [];
    case 'object':
      return Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([name, value]) => [name, sampleAnswer(value)]));
    default:
      return 'a';
  }
}

/** The first scalar the sample's objects and lists hold, by path from `data`. */
function firstScalar(schema: Schema, path: string): { path: string; type: string; set: (wrong: unknown) => unknown } | null {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== undefined && t !== 'null') as string | undefined;
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') return { path, type, set: (wrong) => wrong };
  if (type === 'array' && schema.items) {
    const inner = firstScalar(schema.items as Schema, `${path}[0]`);
    return inner && { ...inner, set: (wrong) => [inner.set(wrong)] };
  }
  if (type === 'object') {
    for (const [name, value] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      const inner = firstScalar(value, `${path}.${name}`);
      if (inner) return { ...inner, set: (wrong) => ({ ...(sampleAnswer(schema) as object), [name]: inner.set(wrong) }) };
    }
  }
  return null;
}

function answerSample(schema: Schema): NonNullable<HttpContext['answerSample']> {
  const valid = JSON.stringify(sampleAnswer(schema), null, 2);
  const scalar = firstScalar(schema, 'data');
  if (scalar) {
    const wrong = scalar.type === 'string' ? 42 : 'not a number';
    const offSchema = JSON.stringify(scalar.set(wrong), null, 2).replace(/\n/g, '\n    ');
    return { valid, offSchema, where: JSON.stringify(`at ${scalar.path}: expected ${scalar.type === 'integer' ? 'number' : scalar.type}`) };
  }
  // No scalar to get wrong: a string where the document says object or list.
  const type = (Array.isArray(schema.type) ? schema.type[0] : schema.type) as string | undefined;
  return type === 'object' || type === 'array' ? { valid, offSchema: '"off the schema"', where: JSON.stringify(`at data: expected ${type}`) } : { valid, offSchema: null, where: '' };
}

/** A value of the wrong type for the parameter. */
function wrongValue(param: CompleteToolSpec['params'][number]): unknown {
  return param.type === 'string' ? 42 : param.type === 'number' || param.type === 'integer' ? 'not a number' : param.type === 'boolean' ? 'yes' : 'a';
}

/** The names and paths every item's templates use. */
function itemContext(item: Pick<ItemContext, 'name' | 'title' | 'description' | 'version'>): ItemContext {
  const fileName = toolFileName(item.name);
  return {
    name: item.name,
    fileName,
    up: '../'.repeat(fileName.split('/').length),
    identifier: toolIdentifier(item.name),
    title: item.title,
    description: item.description,
    version: item.version,
  };
}

export function resourceContext(resource: CompleteResourceSpec): ResourceContext {
  return {
    ...itemContext(resource),
    uri: resource.uri ?? null,
    uriTemplate: resource.uriTemplate ?? null,
    variables: resource.uriTemplate ? [...resource.uriTemplate.matchAll(URI_TEMPLATE_VARIABLE)].map((m) => m[1]!) : [],
    mimeType: resource.mimeType,
    json: /^application\/(?:[\w.-]+\+)?json$/.test(resource.mimeType),
    backend: resource.backend,
    scopes: resource.scopes,
    rateLimit: resource.rateLimit ?? null,
  };
}

export function promptContext(prompt: CompletePromptSpec): PromptContext {
  return {
    ...itemContext(prompt),
    arguments: prompt.arguments,
    message: prompt.message,
    scopes: prompt.scopes,
    rateLimit: prompt.rateLimit ?? null,
  };
}

/**
 * A required string `id` names the record a tool gets or updates. A read tool whose only
 * required string parameter ends in `_id` (`customer_id`) gets that record too: asking for one
 * thing by its id is a lookup, not a text search over every record.
 */
export function keyParam(tool: Pick<CompleteToolSpec, 'params' | 'access'>): string | null {
  const requiredStrings = tool.params.filter((p) => p.required && p.type === 'string');
  if (requiredStrings.some((p) => p.name === 'id')) return 'id';
  if (tool.access === 'read' && requiredStrings.length === 1 && requiredStrings[0]!.name.endsWith('_id')) return requiredStrings[0]!.name;
  return null;
}

/** See {@link ToolContext.cacheWriter}. */
function cacheWriterFor(tool: ToolContext, tools: readonly ToolContext[]): ToolContext['cacheWriter'] {
  const writer = tools.find(
    (other) =>
      other.write &&
      other.backend === tool.backend &&
      other.approval === 'none' &&
      !other.http &&
      !other.params.some((param) => param.name === 'id' && param.required),
  );
  if (!writer) return null;
  const sample: Record<string, string> = { string: "'a'", number: '1', integer: '1', boolean: 'true', 'string[]': "['a']" };
  const fields = writer.params.map((param) => `${param.name}: ${sample[param.type]}`);
  return { name: writer.name, arguments: `{ ${fields.join(', ')} }` };
}
