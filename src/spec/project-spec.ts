/**
 * The spec: every answer that shapes a generated repo. Flags, prompts and `--config` files
 * all end here; nothing downstream reads raw input. The same object is stored in the
 * generated repo's `mcp-gen.json` and is the input of every later `mcp-gen` command.
 */
import { z } from 'zod';

// zod compiles a parser for each object schema with new Function on its first parse: code no
// compile cache keeps, made on every run, for the one or two parses a command does (a 50-tool
// spec's first parse: 6-9 ms compiled, 4-5 ms without).
z.config({ jitless: true });

export const TRANSPORTS = ['stdio', 'http', 'both'] as const;
export const AUTH_KINDS = ['none', 'api-key', 'jwt', 'oauth'] as const;
/** Backends a tool can reach; a spec lists each at most once, and its first is every tool's default. */
export const BACKEND_KINDS = ['sample', 'postgres', 'http'] as const;
export const ACCESS_KINDS = ['read', 'write'] as const;
/** object and array: any JSON object / array (an imported API's nested request fields). */
export const PARAM_TYPES = ['string', 'number', 'integer', 'boolean', 'string[]', 'object', 'array'] as const;
/** String formats a parameter may declare that zod checks (an imported API's `format`). */
export const PARAM_FORMATS = ['date-time', 'date', 'email', 'uri', 'uuid'] as const;
/** HTTP methods an imported operation may use, and where each of its arguments goes. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** body: one property of a JSON object body; json: the whole JSON body. */
export const PARAM_LOCATIONS = ['path', 'query', 'header', 'body', 'json'] as const;
/** none: runs when called; client: the user confirms in the client; human: an approver grants it out of band. */
export const APPROVAL_MODES = ['none', 'client', 'human'] as const;
/** A cached answer lives at most a day: longer is a copy of the data, not a cache. */
export const MAX_CACHE_TTL_SECONDS = 86_400;
/** Bounds of a tool's response budget, in estimated tokens (the server's MAX_RESPONSE_TOKENS has the same). */
export const MIN_RESPONSE_TOKENS = 100;
export const MAX_RESPONSE_TOKENS = 1_000_000;
/** The argument a `human` approval tool is called again with, once granted. */
export const APPROVAL_ID_PARAM = 'approvalId';
/** How an OpenAPI import serves the operations it selects: by the threshold rule, one tool each, or a governed catalog. */
export const OPENAPI_MODES = ['auto', 'tools', 'catalog'] as const;
/** The three tools of a governed catalog (`openapi.mode` "catalog"), by their role. */
export const CATALOG_ROLES = ['search', 'describe', 'call'] as const;
/** The most operations a governed catalog holds. */
export const MAX_CATALOG_OPERATIONS = 5000;
/** Above this many selected operations an import uses the catalog (mode "auto"). */
export const DEFAULT_CATALOG_THRESHOLD = 40;

/** The most tools a spec lists: a model cannot choose well among more (nor, often, among this many). */
export const MAX_TOOLS = 500;

/** A tool's name: at most 64 characters, which many clients and model APIs hold tool names to (the lint's name-length). */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** A resource's or prompt's name (and an imported operation's): the protocol's 128 characters. */
export const ITEM_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
export const PARAM_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const SCOPE_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/; // RFC 6749 scope-token
const SEMVER_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;
// npm's rules for a new package name: lowercase, URL-safe, optional @scope/.
const NPM_NAME_PATTERN = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

export type Transport = (typeof TRANSPORTS)[number];
export type AuthKind = (typeof AUTH_KINDS)[number];
export type BackendKind = (typeof BACKEND_KINDS)[number];
export type Access = (typeof ACCESS_KINDS)[number];
export type ParamType = (typeof PARAM_TYPES)[number];
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export const ParamSpec = z
  .object({
    name: z.string().regex(PARAM_NAME_PATTERN, {
      error: 'must be an identifier: a letter or _, then letters, digits or _ (at most 64)',
    }),
    type: z.enum(PARAM_TYPES),
    description: z.string().max(1000).default('').describe('What the model should know about this parameter.'),
    required: z.boolean().default(true),
    enum: z.array(z.union([z.string(), z.number()])).min(1).optional().describe('The only values allowed.'),
    default: z.union([z.string(), z.number(), z.boolean()]).optional().describe('The value the tool uses when the argument is left out.'),
    format: z.enum(PARAM_FORMATS).optional().describe('string parameters: a format zod checks.'),
  })
  .strict();

const SCALAR = z.union([z.string(), z.number(), z.boolean()]);

/**
 * How a tool calls its HTTP API (a tool imported from an OpenAPI document): the method, the
 * path template, where each parameter goes, and values sent on every call. The generated
 * handler makes exactly this call through the http backend.
 */
export const HttpBindingSpec = z
  .object({
    method: z.enum(HTTP_METHODS),
    path: z.string().min(1).max(2000).regex(/^\/[^\s]*$/, { error: 'must be a path starting with /, {name} for a path parameter' }),
    /** tool parameter -> where it goes and its name on the wire (absent: same name, in the query). */
    params: z
      .record(
        z.string(),
        z
          .object({
            in: z.enum(PARAM_LOCATIONS),
            name: z.string().min(1).max(200),
            explode: z.boolean().optional().describe('query and form arrays: one name=value pair per item (else one comma-separated value)'),
          })
          .strict(),
      )
      .default({}),
    /** Sent on every call, never an argument (an overlay's hidden parameters). */
    fixed: z
      .array(z.object({ in: z.enum(PARAM_LOCATIONS), name: z.string().min(1).max(200), value: SCALAR }).strict())
      .default([]),
    encoding: z.enum(['form']).optional().describe('How body parameters are sent: form (application/x-www-form-urlencoded); absent: JSON.'),
    operationId: z.string().max(200).optional().describe('The operation it was imported from.'),
    response: z.string().max(2000).optional().describe('What a successful answer holds.'),
    output: z.record(z.string(), z.unknown()).optional().describe("The 2xx JSON answer's schema as the import reduced it (src/import/openapi/output-schema.ts)."),
    tags: z.array(z.string().max(200)).max(50).optional().describe("The operation's tags in the document (a catalog's search matches them)."),
  })
  .strict();

/** The fields a tool, a resource and a prompt declare alike. */
const NAME = z.string().regex(ITEM_NAME_PATTERN, { error: 'must be 1-128 characters of A-Z a-z 0-9 _ . -' });
const TOOL_NAME = z.string().regex(TOOL_NAME_PATTERN, { error: 'must be 1-64 characters of A-Z a-z 0-9 _ . - (many clients refuse longer tool names)' });
const TITLE = z.string().min(1).max(200).optional();
const DESCRIPTION = z.string().min(1).max(4000).optional();
const VERSION = z.string().regex(SEMVER_PATTERN, { error: 'must be a semantic version like 1.0.0' }).default('1.0.0');
const SCOPES = z.array(z.string().regex(SCOPE_PATTERN, { error: 'must be an OAuth scope token (no spaces, quotes or backslashes)' })).optional();
const RATE_LIMIT = z.object({ perMinute: z.number().int().min(1).max(1_000_000) }).strict().optional();

/**
 * What a tool imported from a PostgreSQL schema (`mcp-gen import postgres`) queries: enough for
 * the templates to write its named, parameterized query, so a re-render needs no database.
 */
export const QUERY_KINDS = ['get', 'list', 'search', 'create', 'update'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];
export const COLUMN_TYPES = ['string', 'integer', 'number', 'boolean', 'json'] as const;
// Quoted in every query (a " doubled); NUL is the one character an identifier cannot hold.
const SQL_IDENTIFIER = z.string().min(1).max(63).regex(/^[^\u0000]+$/, { error: 'must be a PostgreSQL identifier (1-63 characters)' });
// A type as format_type() prints it (`integer`, `character varying(80)`, `"Status"`, `numeric(10,2)[]`), cast to in SQL.
const SQL_TYPE = z.string().min(1).max(200).regex(/^[A-Za-z0-9_ ."(),\[\]]+$/, { error: 'must be a PostgreSQL type name' });

export const QueryColumnSpec = z
  .object({
    column: SQL_IDENTIFIER,
    param: z.string().regex(PARAM_NAME_PATTERN, { error: 'must be an identifier' }).describe('Its name in arguments and results.'),
    sqlType: SQL_TYPE,
    type: z.enum(COLUMN_TYPES),
    nullable: z.boolean().default(false),
    description: z.string().max(1000).default(''),
    /** create: the database fills it in (a default, identity or generated column); omitted: it must be given. */
    defaulted: z.boolean().default(false),
    /** Never written by create or update (generated, identity always, or the key of update). */
    readOnly: z.boolean().default(false),
  })
  .strict();

export const QuerySpec = z
  .object({
    schema: SQL_IDENTIFIER.default('public'),
    table: SQL_IDENTIFIER,
    kind: z.enum(QUERY_KINDS),
    /** The tenant column (set from the credential, never an argument); absent on shared reference data. */
    tenant: z.object({ column: SQL_IDENTIFIER, sqlType: SQL_TYPE }).strict().optional(),
    /** The primary key's columns (without the tenant column), by column name: get and update find a row by them, list pages by them. */
    key: z.array(SQL_IDENTIFIER).min(1),
    /** Every column a row shows (the tenant column never does). */
    columns: z.array(QueryColumnSpec).min(1),
    /** list: the indexed columns it filters on, by column name. */
    filters: z.array(SQL_IDENTIFIER).default([]),
    /** search: the text columns it matches (ILIKE), by column name. */
    search: z.array(SQL_IDENTIFIER).default([]),
    /** list and search: the most rows one call returns. */
    rowCap: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const ToolSpec = z
  .object({
    name: TOOL_NAME,
    title: TITLE,
    description: DESCRIPTION,
    access: z.enum(ACCESS_KINDS).default('read').describe('read: changes nothing (readOnlyHint); write: changes data (destructiveHint).'),
    version: VERSION,
    scopes: SCOPES,
    backend: z.enum(BACKEND_KINDS).optional(),
    rateLimit: RATE_LIMIT,
    cache: z
      .object({ ttlSeconds: z.number().int().min(1).max(MAX_CACHE_TTL_SECONDS) })
      .strict()
      .optional()
      .describe("Read tools only: keep each answer this long per tenant and arguments; a write of the same tenant on the same backend drops it."),
    maxResponseTokens: z
      .number()
      .int()
      .min(MIN_RESPONSE_TOKENS)
      .max(MAX_RESPONSE_TOKENS)
      .optional()
      .describe('Largest answer, in estimated tokens, before it is cut down (default: the server\'s MAX_RESPONSE_TOKENS).'),
    params: z.array(ParamSpec).optional().describe('The arguments the tool takes; none when omitted.'),
    approval: z
      .enum(APPROVAL_MODES)
      .default('none')
      .describe('Write tools only. client: the user confirms in the client; human: an approver other than the caller grants each call.'),
    query: QuerySpec.optional().describe('Written by `mcp-gen import postgres`: the table and columns the tool queries (postgres backend).'),
    http: HttpBindingSpec.optional().describe('http backend: the API call the handler makes (written by mcp-gen import openapi).'),
    catalogRole: z
      .enum(CATALOG_ROLES)
      .optional()
      .describe("One of a governed catalog's three tools (search_operations, describe_operation, call_operation), written by mcp-gen import openapi."),
  })
  .strict();

/** `{name}` in a resource URI template: one path or query value (RFC 6570 level 1). */
export const URI_TEMPLATE_VARIABLE = /\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;
// A URI with a scheme (`crm://schema`, `https://…`); no spaces or quotes, braces only in templates.
export const URI_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"'{}\\]+$/;
export const URI_TEMPLATE_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[^\s"'{}\\]|\{[A-Za-z_][A-Za-z0-9_]{0,63}\})+$/;

export const ResourceSpec = z
  .object({
    name: NAME,
    title: TITLE,
    description: DESCRIPTION,
    uri: z.string().max(2000).regex(URI_PATTERN, { error: 'must be an absolute URI with a scheme, like crm://schema (no spaces, quotes or braces)' }).optional(),
    uriTemplate: z
      .string()
      .max(2000)
      .regex(URI_TEMPLATE_PATTERN, { error: 'must be a URI template with a scheme and {variable} parts, like crm://customers/{id}' })
      .optional()
      .describe('For a family of resources: each {variable} is one value the client fills in (never a tenant: that comes from the credential).'),
    mimeType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, { error: 'must be a media type like application/json' }).default('application/json'),
    version: VERSION,
    scopes: SCOPES,
    backend: z.enum(BACKEND_KINDS).optional(),
    rateLimit: RATE_LIMIT,
  })
  .strict();

export const PromptArgumentSpec = z
  .object({
    name: z.string().regex(PARAM_NAME_PATTERN, {
      error: 'must be an identifier: a letter or _, then letters, digits or _ (at most 64)',
    }),
    description: z.string().max(1000).default('').describe('What the user or model should fill in.'),
    required: z.boolean().default(true),
  })
  .strict();

export const PromptSpec = z
  .object({
    name: NAME,
    title: TITLE,
    description: DESCRIPTION,
    version: VERSION,
    scopes: SCOPES,
    arguments: z.array(PromptArgumentSpec).optional().describe('What the prompt asks for; none when omitted.'),
    message: z
      .string()
      .min(1)
      .max(20_000)
      .optional()
      .describe('The user message the prompt returns, with {argument} where each argument goes.'),
    rateLimit: RATE_LIMIT,
  })
  .strict();

const SELECTION = z
  .object({
    tags: z.array(z.string().min(1)).optional().describe('Operations with any of these tags.'),
    paths: z.array(z.string().min(1)).optional().describe('Operations whose path matches any of these globs (/pets/*, /admin/**).'),
    operations: z.array(z.string().min(1)).optional().describe('Operations by operationId, or by "METHOD /path".'),
  })
  .strict();

/** The curation of one operation: what the import would derive, decided otherwise. */
export const OperationOverrideSpec = z
  .object({
    name: NAME.optional(),
    title: TITLE,
    description: DESCRIPTION,
    access: z.enum(ACCESS_KINDS).optional(),
    approval: z.enum(APPROVAL_MODES).optional(),
    scopes: SCOPES,
    rateLimit: RATE_LIMIT,
    hidden: z
      .record(z.string(), SCALAR)
      .optional()
      .describe('Parameters (by their name in the document) the model never sees, sent with these values on every call.'),
    output: z.literal('untyped').optional().describe("untyped: the answer's data is not typed or checked (a document that misdescribes it)."),
  })
  .strict();

/**
 * `mcp-gen import openapi`: the document the imported tools come from and the user's curation
 * of it. The import expands it into ordinary `tools` entries with an `http` binding; this block
 * is what a re-import applies again to a changed document.
 */
export const OpenApiImportSpec = z
  .object({
    source: z.string().min(1).max(2000).describe('The document: a path relative to the repository, or a URL.'),
    include: SELECTION.optional().describe('Only these operations (default: every operation).'),
    exclude: SELECTION.optional().describe('Never these operations, even when included.'),
    overrides: z
      .record(z.string(), OperationOverrideSpec)
      .default({})
      .describe('Per operation (by operationId, or "METHOD /path"): name, title, description, access, approval, scopes, rate limit, hidden parameters, output.'),
    mode: z
      .enum(OPENAPI_MODES)
      .default('auto')
      .describe('tools: one tool per operation; catalog: three tools (search_operations, describe_operation, call_operation) over a governed catalog of the operations; auto: the catalog above catalogThreshold operations.'),
    catalogThreshold: z
      .number()
      .int()
      .min(1)
      .max(MAX_CATALOG_OPERATIONS)
      .default(DEFAULT_CATALOG_THRESHOLD)
      .describe('mode auto: more selected operations than this make a catalog.'),
  })
  .strict();

/**
 * A governed catalog (`openapi.mode` "catalog"): the imported operations as data the catalog's
 * three tools serve; each call of one still goes through the pipeline with its own scopes,
 * access, approval, rate limit and audit record.
 */
export const CatalogSpec = z
  .object({
    operations: z
      .array(ToolSpec)
      .min(1)
      .max(MAX_CATALOG_OPERATIONS)
      .describe('One entry per operation, as an imported tool would be (each with its http binding).'),
  })
  .strict();

export const BackendSpec = z.object({ kind: z.enum(BACKEND_KINDS) }).strict();

/** Your curation of an imported tool, by the name the import gives it. */
export const ImportOverrideSpec = z
  .object({ name: NAME.optional(), description: DESCRIPTION, scopes: SCOPES, rateLimit: RATE_LIMIT })
  .strict();

export const PostgresImportSpec = z
  .object({
    source: z
      .string()
      .min(1)
      .max(1000)
      .describe('DATABASE_URL (the database that variable names when you import; the URL itself is never stored) or the path of a schema-only SQL dump.'),
    schema: SQL_IDENTIFIER.default('public'),
    tables: z.array(SQL_IDENTIFIER).optional().describe('The tables to import; every table of the schema when omitted.'),
    tenantColumn: SQL_IDENTIFIER.default('tenant_id').describe('The column naming the tenant; a table without it is refused unless shared.'),
    shared: z.array(SQL_IDENTIFIER).default([]).describe('Tables of reference data every tenant reads (no tenant column): read-only.'),
    writes: z.boolean().default(false).describe('Also create_ and update_ tools for tenant tables, each with approval "human".'),
    rowCap: z.number().int().min(1).max(1000).default(100).describe('The most rows one list or search call returns.'),
    overrides: z.record(z.string(), ImportOverrideSpec).default({}).describe('Per tool, by its imported name: name, description, scopes, rateLimit.'),
  })
  .strict();

export const ProjectSpec = z
  .object({
    $schema: z.string().optional(),
    name: z.string().max(214).regex(NPM_NAME_PATTERN, {
      error: 'must be a valid npm package name: lowercase letters, digits, - . _ ~, optionally @scope/',
    }),
    title: TITLE,
    description: z.string().max(1000).default('An MCP server.'),
    transport: z.enum(TRANSPORTS).default('http').describe('How clients connect: stdio, streamable HTTP, or both.'),
    auth: z.enum(AUTH_KINDS).default('api-key').describe('How clients authenticate; the credential decides the tenant.'),
    backends: z.array(BackendSpec).min(1).default([{ kind: 'sample' }]).describe('Systems the tools reach; the first is the default.'),
    tools: z.array(ToolSpec).min(1).max(MAX_TOOLS).describe('One entry per tool; each becomes src/tools/<name>.ts, a dotted name a folder per namespace (crm.search: src/tools/crm/search.ts).'),
    resources: z
      .array(ResourceSpec)
      .max(500)
      .default([])
      .describe('Data the model can read into its context (a schema, a catalog, one record by URI template); each becomes src/resources/<name>.ts.'),
    prompts: z.array(PromptSpec).max(500).default([]).describe('Reusable prompts for common workflows; each becomes src/prompts/<name>.ts.'),
    postgresImport: PostgresImportSpec.optional().describe('What `mcp-gen import postgres` imports, and your curation of it; re-imports start from here.'),
    openapi: OpenApiImportSpec.optional().describe('The OpenAPI document the http tools were imported from, and their curation (mcp-gen import openapi).'),
    catalog: CatalogSpec.optional().describe('Written by mcp-gen import openapi in catalog mode: the operations the catalog tools serve.'),
    /** Written by the generator: the version that last wrote the repo, migrations applied. */
    generator: z
      .object({ version: z.string(), migrations: z.array(z.string()).default([]) })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine(checkCrossFieldRules);

export type ParamSpec = z.output<typeof ParamSpec>;
export type ToolSpec = z.output<typeof ToolSpec>;
export type QuerySpec = z.output<typeof QuerySpec>;
export type QueryColumnSpec = z.output<typeof QueryColumnSpec>;
export type PostgresImportSpec = z.output<typeof PostgresImportSpec>;
export type BackendSpec = z.output<typeof BackendSpec>;
export type ResourceSpec = z.output<typeof ResourceSpec>;
export type PromptSpec = z.output<typeof PromptSpec>;
export type HttpBindingSpec = z.output<typeof HttpBindingSpec>;
export type OpenApiImportSpec = z.output<typeof OpenApiImportSpec>;
export type OperationOverrideSpec = z.output<typeof OperationOverrideSpec>;
export type CatalogSpec = z.output<typeof CatalogSpec>;
export type CatalogRole = (typeof CATALOG_ROLES)[number];
export type ProjectSpec = z.output<typeof ProjectSpec>;
/** What a user may write: every defaulted field optional. */
export type ProjectSpecInput = z.input<typeof ProjectSpec>;

/** Rules that span fields: duplicates, backends a tool names, tool files and identifiers that would collide. */
function checkCrossFieldRules(spec: z.output<z.ZodObject<any>>, ctx: z.RefinementCtx): void {
  const s = spec as unknown as ProjectSpec;
  const backendKinds = new Set<string>();
  s.backends.forEach((b, i) => {
    if (backendKinds.has(b.kind)) {
      ctx.addIssue({ code: 'custom', path: ['backends', i, 'kind'], message: `"${b.kind}" is listed twice` });
    }
    backendKinds.add(b.kind);
  });
  const seenNames = new Map<string, number>();
  const seenFiles = new Map<string, number>();
  const seenIds = new Map<string, number>();
  s.tools.forEach((tool, i) => {
    const first = seenNames.get(tool.name);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tools', i, 'name'],
        message: `"${tool.name}" is a duplicate of tools[${first}]; tool names must be unique`,
      });
    } else {
      seenNames.set(tool.name, i);
      const file = toolFileName(tool.name);
      const clash = seenFiles.get(file.toLowerCase());
      if (clash !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tools', i, 'name'],
          message: `"${tool.name}" would share the file src/tools/${file}.ts with tools[${clash}]; rename one`,
        });
      }
      seenFiles.set(file.toLowerCase(), i);
      const identifier = toolIdentifier(tool.name);
      const sameId = seenIds.get(identifier);
      if (sameId !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tools', i, 'name'],
          message: `"${tool.name}" would share the TypeScript name ${identifier} with tools[${sameId}]; rename one`,
        });
      }
      seenIds.set(identifier, i);
    }
    if (tool.backend && !backendKinds.has(tool.backend)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tools', i, 'backend'],
        message: `"${tool.backend}" is not one of this spec's backends (${[...backendKinds].join(', ')})`,
      });
    }
    const params = new Set<string>();
    (tool.params ?? []).forEach((p, j) => {
      if (params.has(p.name)) {
        ctx.addIssue({ code: 'custom', path: ['tools', i, 'params', j, 'name'], message: `"${p.name}" is listed twice` });
      }
      params.add(p.name);
      if (p.name === APPROVAL_ID_PARAM && tool.approval === 'human') {
        ctx.addIssue({
          code: 'custom',
          path: ['tools', i, 'params', j, 'name'],
          message: `"${APPROVAL_ID_PARAM}" is reserved on a tool with approval "human" (the server adds it); rename the parameter`,
        });
      }
    });
    checkHttpBinding(tool, i, backendKinds, ctx);
    checkApproval(s, tool, i, ctx);
    if (tool.query && (tool.backend ?? s.backends[0]?.kind) !== 'postgres') {
      ctx.addIssue({ code: 'custom', path: ['tools', i, 'query'], message: 'needs the postgres backend: set backend "postgres" (an imported table is queried there)' });
    }
    if (tool.cache && tool.access === 'write') {
      ctx.addIssue({
        code: 'custom',
        path: ['tools', i, 'cache'],
        message: 'is not allowed on a write tool; only read tools are cached (a write drops the cached answers of its tenant instead)',
      });
    }
  });
  checkResourcesAndPrompts(s, ctx);
  checkCatalog(s, backendKinds, ctx);
}

/**
 * A catalog's operations: unique names that no tool, resource or prompt has (rate limits,
 * rollout and audit records name them alike), each an http operation; and the catalog's three
 * tools exactly when there is a catalog.
 */
function checkCatalog(spec: ProjectSpec, backendKinds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  const roles = spec.tools.filter((tool) => tool.catalogRole !== undefined);
  if (!spec.catalog) {
    spec.tools.forEach((tool, i) => {
      if (tool.catalogRole) ctx.addIssue({ code: 'custom', path: ['tools', i, 'catalogRole'], message: 'needs a catalog (mcp-gen import openapi --mode catalog writes both)' });
    });
    return;
  }
  for (const role of CATALOG_ROLES) {
    if (!roles.some((tool) => tool.catalogRole === role)) ctx.addIssue({ code: 'custom', path: ['catalog'], message: `needs the tool with catalogRole "${role}" (mcp-gen import openapi --mode catalog writes it)` });
  }
  const others = new Set([...spec.tools, ...spec.resources, ...spec.prompts].map((item) => item.name));
  const seen = new Map<string, number>();
  spec.catalog.operations.forEach((operation, i) => {
    const path = ['catalog', 'operations', i];
    const first = seen.get(operation.name);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'name'], message: `"${operation.name}" is a duplicate of catalog.operations[${first}]` });
    else seen.set(operation.name, i);
    if (others.has(operation.name)) ctx.addIssue({ code: 'custom', path: [...path, 'name'], message: `"${operation.name}" is also a tool's, resource's or prompt's name; they share one namespace` });
    if (!operation.http) ctx.addIssue({ code: 'custom', path: [...path, 'http'], message: 'is required: a catalog operation is an API call' });
    if (operation.catalogRole) ctx.addIssue({ code: 'custom', path: [...path, 'catalogRole'], message: 'is for tools only' });
    // The tool checks, with their `tools[i]` paths moved under this operation.
    const here = {
      addIssue: (issue: { path?: PropertyKey[] }) => ctx.addIssue({ ...issue, path: [...path, ...(issue.path ?? []).slice(2)] } as Parameters<z.RefinementCtx['addIssue']>[0]),
    } as unknown as z.RefinementCtx;
    checkHttpBinding(operation, 0, backendKinds, here);
    checkApproval(spec, operation, 0, here);
  });
}

/** Resources and prompts: unique names and files, one URI form each, known backends, declared arguments. */
function checkResourcesAndPrompts(spec: ProjectSpec, ctx: z.RefinementCtx): void {
  const backendKinds = new Set(spec.backends.map((b) => b.kind as string));
  const uris = new Map<string, number>();
  uniqueNames(spec.resources, 'resources', ctx);
  spec.resources.forEach((resource, i) => {
    if ((resource.uri === undefined) === (resource.uriTemplate === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['resources', i], message: 'needs exactly one of uri (one resource) or uriTemplate (a family of resources)' });
    }
    // A template its own pattern refused (an unclosed brace) has been reported; its variables are not read.
    if (resource.uriTemplate !== undefined && URI_TEMPLATE_PATTERN.test(resource.uriTemplate)) {
      const variables = [...resource.uriTemplate.matchAll(URI_TEMPLATE_VARIABLE)].map((m) => m[1]!);
      if (variables.length === 0) ctx.addIssue({ code: 'custom', path: ['resources', i, 'uriTemplate'], message: 'has no {variable}; use uri for a single resource' });
      const twice = variables.find((v, j) => variables.indexOf(v) !== j);
      if (twice) ctx.addIssue({ code: 'custom', path: ['resources', i, 'uriTemplate'], message: `names {${twice}} twice` });
    }
    const uri = resource.uri ?? resource.uriTemplate;
    if (uri !== undefined) {
      const first = uris.get(uri);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['resources', i, resource.uri ? 'uri' : 'uriTemplate'], message: `"${uri}" is also resources[${first}]'s` });
      else uris.set(uri, i);
    }
    if (resource.backend && !backendKinds.has(resource.backend)) {
      ctx.addIssue({ code: 'custom', path: ['resources', i, 'backend'], message: `"${resource.backend}" is not one of this spec's backends (${[...backendKinds].join(', ')})` });
    }
  });
  uniqueNames(spec.prompts, 'prompts', ctx);
  // Rollout rules, rate-limit buckets and audit records name tools, resources and prompts alike.
  const owners = new Map<string, string>(spec.tools.map((t) => [t.name, "a tool's"]));
  for (const [field, list, owner] of [['resources', spec.resources, "a resource's"], ['prompts', spec.prompts, "a prompt's"]] as const) {
    const mine = new Set(list.map((item) => item.name));
    list.forEach(({ name }, i) => {
      const taken = owners.get(name);
      if (taken) ctx.addIssue({ code: 'custom', path: [field, i, 'name'], message: `"${name}" is already ${taken} name; tools, resources and prompts share one namespace` });
    });
    for (const name of mine) if (!owners.has(name)) owners.set(name, owner);
  }
  spec.prompts.forEach((prompt, i) => {
    const names = (prompt.arguments ?? []).map((a) => a.name);
    names.forEach((name, j) => {
      if (names.indexOf(name) !== j) ctx.addIssue({ code: 'custom', path: ['prompts', i, 'arguments', j, 'name'], message: `"${name}" is listed twice` });
    });
    for (const match of (prompt.message ?? '').matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
      if (!names.includes(match[1]!)) {
        ctx.addIssue({ code: 'custom', path: ['prompts', i, 'message'], message: `{${match[1]}} is not one of the prompt's arguments (${names.join(', ') || 'none'})` });
      }
    }
  });
}

/** Names unique within `list`, and no two sharing a file or a TypeScript name. */
function uniqueNames(list: ReadonlyArray<{ name: string }>, field: 'resources' | 'prompts', ctx: z.RefinementCtx): void {
  const names = new Map<string, number>();
  const files = new Map<string, number>();
  const ids = new Map<string, number>();
  list.forEach(({ name }, i) => {
    const path = [field, i, 'name'];
    const clash = (seen: Map<string, number>, key: string, message: (first: number) => string) => {
      const first = seen.get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path, message: message(first) });
      else seen.set(key, i);
      return first !== undefined;
    };
    if (clash(names, name, (first) => `"${name}" is a duplicate of ${field}[${first}]; names must be unique`)) return;
    clash(files, toolFileName(name).toLowerCase(), (first) => `"${name}" would share the file src/${field}/${toolFileName(name)}.ts with ${field}[${first}]; rename one`);
    clash(ids, toolIdentifier(name), (first) => `"${name}" would share the TypeScript name ${toolIdentifier(name)} with ${field}[${first}]; rename one`);
  });
}

/**
 * A tool with an `http` binding calls the http backend, and every parameter it takes is sent
 * somewhere; the richer parameter forms (object, array, enum, default, format) are for such
 * tools only, since the other tool templates fill in sample arguments of the five plain types.
 */
function checkHttpBinding(tool: ToolSpec, i: number, backendKinds: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  const params = tool.params ?? [];
  // A catalog tool's arguments are the catalog's (an operation's arguments as one object).
  if (tool.catalogRole) return;
  if (!tool.http) {
    params.forEach((p, j) => {
      const rich = p.type === 'object' || p.type === 'array' ? `type "${p.type}"` : p.enum ? 'enum' : p.default !== undefined ? 'default' : p.format ? 'format' : undefined;
      if (rich) ctx.addIssue({ code: 'custom', path: ['tools', i, 'params', j], message: `${rich} is only allowed on a tool with an http binding (one imported from an OpenAPI document)` });
    });
    return;
  }
  const path = ['tools', i, 'http'];
  if ((tool.backend ?? [...backendKinds][0]) !== 'http') {
    ctx.addIssue({ code: 'custom', path: ['tools', i, 'backend'], message: 'must be "http" on a tool with an http binding (add the http backend: mcp-gen add-backend http)' });
  }
  const expectedWrite = !['GET', 'HEAD'].includes(tool.http.method);
  if (expectedWrite !== (tool.access === 'write')) {
    ctx.addIssue({ code: 'custom', path: ['tools', i, 'access'], message: `must be "${expectedWrite ? 'write' : 'read'}" for an http ${tool.http.method} (a GET or HEAD reads; other methods change data)` });
  }
  for (const name of Object.keys(tool.http.params)) {
    if (!params.some((p) => p.name === name)) ctx.addIssue({ code: 'custom', path: [...path, 'params', name], message: `"${name}" is not one of the tool's params` });
  }
  params.forEach((p, j) => {
    if (!tool.http!.params[p.name]) ctx.addIssue({ code: 'custom', path: ['tools', i, 'params', j, 'name'], message: `"${p.name}" is not in http.params: say where the API takes it` });
  });
  const placeholders = [...tool.http.path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
  const pathParams = [
    ...Object.entries(tool.http.params).filter(([, where]) => where.in === 'path').map(([, where]) => where.name),
    ...tool.http.fixed.filter((f) => f.in === 'path').map((f) => f.name),
  ];
  for (const name of placeholders) {
    if (!pathParams.includes(name)) ctx.addIssue({ code: 'custom', path: [...path, 'path'], message: `{${name}} has no parameter (in: "path") or fixed value` });
  }
  for (const name of pathParams) {
    if (!placeholders.includes(name)) ctx.addIssue({ code: 'custom', path: [...path, 'params'], message: `path parameter "${name}" is not a {placeholder} of ${tool.http.path}` });
  }
}

/** Approval gates writes, and `human` needs someone to grant it: an HTTP admin endpoint and distinct identities. */
function checkApproval(spec: ProjectSpec, tool: ToolSpec, i: number, ctx: z.RefinementCtx): void {
  if (tool.approval === 'none') return;
  const path = ['tools', i, 'approval'];
  if (tool.access === 'read') {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `"${tool.approval}" is not allowed on a read tool; approval applies to write tools only (use "none", or make the tool access "write")`,
    });
    return;
  }
  if (tool.approval !== 'human') return;
  if (spec.transport === 'stdio') {
    ctx.addIssue({
      code: 'custom',
      path,
      message: '"human" needs the http transport (approvers grant calls through its admin endpoint); use transport "http" or "both", or approval "client"',
    });
  }
  if (spec.auth === 'none') {
    ctx.addIssue({
      code: 'custom',
      path,
      message: '"human" needs an auth model that tells callers apart (the approver must not be the caller); use auth api-key, jwt or oauth',
    });
  }
}

/** `@acme/crm-mcp` -> `crm-mcp`: a name valid as a Docker tag or an MCP client's server name. */
export function projectSlug(packageName: string): string {
  return packageName.replace(/^@[^/]+\//, '');
}

/**
 * `crm.search` -> `crm/search`: a dotted name is a namespace, and each namespace is a folder
 * (src/tools/crm/search.ts), so a server with many tools keeps each family together. Empty
 * segments (a leading, trailing or doubled dot) are dropped; a name of dots alone keeps one
 * file named with dashes.
 */
export function toolFileName(toolName: string): string {
  const segments = toolName.split('.').filter(Boolean);
  return segments.length > 0 ? segments.join('/') : toolName.replace(/\./g, '-');
}

/** `crm.search_accounts` -> `crmSearchAccounts`; a leading digit gets a `tool` prefix. */
export function toolIdentifier(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  const safe = /^[0-9]/.test(id) || id === '' ? `tool${id.charAt(0).toUpperCase()}${id.slice(1)}` : id;
  return RESERVED.has(safe) ? `${safe}Tool` : safe;
}

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'tools', 'z',
]);
