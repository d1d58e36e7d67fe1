/**
 * The interactive flow: asks only what flags and `--config` left open, and fills the same
 * raw spec they would have. Nothing here decides anything the non-interactive path cannot.
 */
import * as p from '@clack/prompts';
import { ACCESS_KINDS, APPROVAL_MODES, AUTH_KINDS, BACKEND_KINDS, ITEM_NAME_PATTERN, PARAM_NAME_PATTERN, TOOL_NAME_PATTERN, TRANSPORTS, URI_PATTERN, URI_TEMPLATE_PATTERN } from '../spec/project-spec.js';
import { parseParamList } from '../spec/param-syntax.js';
import { packageNameFromDir, type RawSpec } from './spec-input.js';
import { defaultTools } from './default-tools.js';
import { Cancelled } from '../user-error.js';

function answered<T>(value: T): Exclude<T, symbol> {
  if (p.isCancel(value)) throw new Cancelled();
  return value as Exclude<T, symbol>;
}

export async function askForDirectory(): Promise<string> {
  return answered(
    await p.text({
      message: 'Where should the server be created?',
      placeholder: 'mcp-server',
      defaultValue: 'mcp-server',
    }),
  );
}

export async function askForSpec(raw: RawSpec, dir: string): Promise<RawSpec> {
  const out: RawSpec = { ...raw };
  if (out.name === undefined) {
    out.name = answered(await p.text({ message: 'Package name', initialValue: packageNameFromDir(dir) }));
  }
  if (out.description === undefined) {
    out.description = answered(
      await p.text({ message: 'One line: what does this server give access to?', placeholder: 'An MCP server.', defaultValue: 'An MCP server.' }),
    );
  }
  if (out.transport === undefined) {
    out.transport = answered(
      await p.select({
        message: 'Transport',
        initialValue: 'http',
        options: TRANSPORTS.map((t) => ({ value: t, label: t, hint: TRANSPORT_HINTS[t] })),
      }),
    );
  }
  if (out.auth === undefined) {
    out.auth = answered(
      await p.select({
        message: 'How do clients authenticate?',
        initialValue: 'api-key',
        options: AUTH_KINDS.map((a) => ({ value: a, label: a, hint: AUTH_HINTS[a] })),
      }),
    );
  }
  if (out.backends === undefined) {
    const kinds = answered(
      await p.multiselect({
        message: 'Backends the tools reach',
        initialValues: ['sample'],
        required: true,
        options: BACKEND_KINDS.map((b) => ({ value: b, label: b, hint: BACKEND_HINTS[b] })),
      }),
    );
    out.backends = kinds.map((kind) => ({ kind }));
  }
  if (out.tools === undefined) out.tools = await askForTools();
  if (out.resources === undefined && out.prompts === undefined) {
    const toolNames = (Array.isArray(out.tools) ? out.tools : []).map((tool) => String((tool as { name?: unknown }).name));
    Object.assign(out, await askForResourcesAndPrompts(new Set(toolNames)));
  }
  return out;
}

/** Resources and prompts, only if asked for: the default is a tools-only server. */
async function askForResourcesAndPrompts(taken: Set<string>): Promise<{ resources?: unknown[]; prompts?: unknown[] }> {
  const wanted = answered(
    await p.confirm({ message: 'Also serve resources (data the model reads into context) or prompts (reusable requests)?', initialValue: false }),
  );
  if (!wanted) return {};
  const name = async (message: string) => {
    const value = answered(
      await p.text({
        message,
        validate: (v) => (!v || !ITEM_NAME_PATTERN.test(v) ? 'use 1-128 characters of A-Z a-z 0-9 _ . -' : taken.has(v) ? 'already the name of a tool, resource or prompt' : undefined),
      }),
    );
    taken.add(value);
    return value;
  };
  const resources: Array<Record<string, unknown>> = [];
  while (answered(await p.confirm({ message: resources.length === 0 ? 'Add a resource?' : 'Add another resource?', initialValue: resources.length === 0 }))) {
    const resource: Record<string, unknown> = { name: await name('Resource name (e.g. product_catalog, crm.customer)') };
    const uri = answered(
      await p.text({
        message: 'Its URI, or a URI template with {variables} (e.g. crm://catalog, crm://customers/{id})',
        validate: (v) => (!v ? 'a URI is needed' : v.includes('{') ? (URI_TEMPLATE_PATTERN.test(v) ? undefined : 'a template looks like crm://customers/{id}') : URI_PATTERN.test(v) ? undefined : 'a URI looks like crm://catalog'),
      }),
    );
    resource[uri.includes('{') ? 'uriTemplate' : 'uri'] = uri;
    const description = answered(await p.text({ message: 'What does it hold, and when should the model read it?', placeholder: 'leave empty for a default' }));
    if (description?.trim()) resource.description = description.trim();
    resources.push(resource);
  }
  const prompts: Array<Record<string, unknown>> = [];
  while (answered(await p.confirm({ message: prompts.length === 0 ? 'Add a prompt?' : 'Add another prompt?', initialValue: prompts.length === 0 }))) {
    const prompt: Record<string, unknown> = { name: await name('Prompt name (e.g. account_brief)') };
    const argText = answered(
      await p.text({
        message: 'Its arguments (names, ? for optional, e.g. account, tone?; empty for none)',
        validate: (v) => promptArguments(v ?? '').problem,
      }),
    );
    const args = promptArguments(argText ?? '').args;
    if (args.length > 0) prompt.arguments = args;
    const message = answered(await p.text({ message: 'The message it returns, {argument} where each goes', placeholder: 'leave empty for a default' }));
    if (message?.trim()) prompt.message = message.trim();
    prompts.push(prompt);
  }
  return { ...(resources.length > 0 ? { resources } : {}), ...(prompts.length > 0 ? { prompts } : {}) };
}

/** `account, tone?` -> the prompt's arguments, or what is wrong with the text. */
function promptArguments(text: string): { args: Array<{ name: string; required: boolean }>; problem?: string } {
  const args = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => ({ name: part.replace(/\?$/, ''), required: !part.endsWith('?') }));
  const bad = args.find((arg) => !PARAM_NAME_PATTERN.test(arg.name));
  return bad ? { args, problem: `"${bad.name}" is not a name: a letter or _, then letters, digits or _` } : { args };
}

const BACKEND_HINTS: Record<(typeof BACKEND_KINDS)[number], string> = {
  sample: 'in-memory, tenant-scoped sample data',
  postgres: 'PostgreSQL: row-level security per tenant, read-only role for read tools; embedded PGlite until DATABASE_URL is set',
  http: 'an internal REST API: per-tenant credentials, timeouts, retries, circuit breaker',
};

async function askForTools(): Promise<unknown[]> {
  const tools: Array<Record<string, unknown>> = [];
  const names = new Set<string>();
  p.log.info('Tools: each becomes src/tools/<name>.ts with its schema, handler and test (crm.search: src/tools/crm/search.ts).');
  for (;;) {
    const more = answered(
      await p.confirm({ message: tools.length === 0 ? 'Add a tool now? (No gives three sample tools)' : 'Add another tool?', initialValue: tools.length === 0 }),
    );
    if (!more) break;
    const name = answered(
      await p.text({
        message: 'Tool name (verb first, e.g. search_customers)',
        validate: (v) =>
          !v || !TOOL_NAME_PATTERN.test(v) ? 'use 1-64 characters of A-Z a-z 0-9 _ . -' : names.has(v) ? 'already added' : undefined,
      }),
    );
    const access = answered(
      await p.select({
        message: 'Does it read or change data?',
        options: ACCESS_KINDS.map((a) => ({ value: a, label: a, hint: a === 'read' ? 'read-only' : 'changes data' })),
      }),
    );
    const approval =
      access === 'write'
        ? answered(
            await p.select({
              message: 'Does a call need approval before it runs?',
              initialValue: 'none',
              options: APPROVAL_MODES.map((a) => ({ value: a, label: a, hint: APPROVAL_HINTS[a] })),
            }),
          )
        : undefined;
    const description = answered(
      await p.text({ message: 'Describe it for the model (one paragraph)', placeholder: 'leave empty for a default' }),
    );
    const paramText = answered(
      await p.text({
        message: 'Parameters (name:type, ? for optional; types string number integer boolean string[]; empty for none)',
        placeholder: access === 'read' ? 'query:string?, limit:integer?' : 'name:string, notes:string?',
        validate: (v) => parseParamList(v ?? '').problems[0],
      }),
    );
    const tool: Record<string, unknown> = { name, access };
    if (approval !== undefined) tool.approval = approval;
    if (description?.trim()) tool.description = description.trim();
    if (paramText?.trim()) tool.params = parseParamList(paramText).params;
    tools.push(tool);
    names.add(name);
  }
  return tools.length > 0 ? tools : defaultTools();
}

const TRANSPORT_HINTS: Record<string, string> = {
  stdio: 'a local process per client (Claude Desktop, Claude Code)',
  http: 'a remote service, streamable HTTP, stateless',
  both: 'HTTP and stdio from the same code',
};

const AUTH_HINTS: Record<string, string> = {
  none: 'stdio, or HTTP bound to loopback only',
  'api-key': 'hashed keys, each bound to a tenant and scopes',
  jwt: 'JWTs from your identity provider, checked against its JWKS or public key',
  oauth: 'OAuth 2.1 resource server: protected-resource metadata, audience bound to this server',
};

const APPROVAL_HINTS: Record<string, string> = {
  none: 'runs when called (scopes still apply)',
  client: 'the user confirms each call in the client',
  human: 'an approver other than the caller grants each call (HTTP)',
};

/** An OpenAPI import over the catalog threshold: a governed catalog, or one tool per operation? */
export async function askCatalog(count: number, threshold: number): Promise<boolean> {
  return answered(
    await p.confirm({
      message: `${count} operations are selected (more than ${threshold}). Serve them as a governed catalog (search_operations, describe_operation, call_operation: each call still authorized, rate-limited, approved and audited as its operation)? No makes one tool per operation.`,
      initialValue: true,
    }),
  );
}
