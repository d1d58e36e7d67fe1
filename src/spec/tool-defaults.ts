/**
 * Fills what a tool spec may leave out (title, description, scopes, backend, params) from
 * its name and access, so that `mcp-gen.json` always records the complete answer: a later
 * generator with other defaults will not silently change an existing repo's tools.
 */
import { APPROVAL_ID_PARAM, projectSlug, type ParamSpec, type ProjectSpec, type PromptSpec, type ResourceSpec, type ToolSpec } from './project-spec.js';

export type CompleteToolSpec = Required<Omit<ToolSpec, 'rateLimit' | 'cache' | 'maxResponseTokens' | 'query' | 'http' | 'catalogRole'>> &
  Pick<ToolSpec, 'rateLimit' | 'cache' | 'maxResponseTokens' | 'query' | 'http' | 'catalogRole'>;
export type CompleteResourceSpec = Required<Omit<ResourceSpec, 'uri' | 'uriTemplate' | 'rateLimit'>> & Pick<ResourceSpec, 'uri' | 'uriTemplate' | 'rateLimit'>;
export type CompletePromptSpec = Required<Omit<PromptSpec, 'rateLimit'>> & Pick<PromptSpec, 'rateLimit'>;
export type CompleteProjectSpec = Omit<ProjectSpec, 'tools' | 'title' | 'resources' | 'prompts' | 'catalog'> & {
  title: string;
  tools: CompleteToolSpec[];
  /** A governed catalog's operations, completed as tools are. */
  catalog?: { operations: CompleteToolSpec[] };
  resources: CompleteResourceSpec[];
  prompts: CompletePromptSpec[];
};

export function completeSpec(spec: ProjectSpec): CompleteProjectSpec {
  const defaultBackend = spec.backends[0]!.kind;
  const { catalog, ...rest } = spec;
  return {
    ...rest,
    // The package name as typed (`crm-mcp`): a title made of it would guess at its words' case.
    title: spec.title ?? projectSlug(spec.name),
    tools: spec.tools.map((tool) => completeTool(tool, defaultBackend)),
    ...(catalog ? { catalog: { operations: catalog.operations.map((operation) => completeTool(operation, defaultBackend)) } } : {}),
    resources: spec.resources.map((resource) => completeResource(resource, defaultBackend)),
    prompts: spec.prompts.map(completePrompt),
  };
}

function completeResource(resource: ResourceSpec, defaultBackend: ToolSpec['backend'] & string): CompleteResourceSpec {
  const title = resource.title ?? titleFromName(resource.name);
  const one = resource.uri !== undefined;
  return {
    name: resource.name,
    title,
    description:
      resource.description ??
      (one ? `${title}: reference data of the caller's tenant, to read into context.` : `${title}: one record of the caller's tenant, by URI.`),
    ...(one ? { uri: resource.uri } : { uriTemplate: resource.uriTemplate }),
    mimeType: resource.mimeType,
    version: resource.version,
    scopes: resource.scopes ?? ['resources:read'],
    backend: resource.backend ?? defaultBackend,
    ...(resource.rateLimit ? { rateLimit: resource.rateLimit } : {}),
  };
}

function completePrompt(prompt: PromptSpec): CompletePromptSpec {
  const title = prompt.title ?? titleFromName(prompt.name);
  const args = (prompt.arguments ?? []).map((a) => ({ name: a.name, description: a.description, required: a.required }));
  return {
    name: prompt.name,
    title,
    description: prompt.description ?? `${title}: a ready-made request for a common task.`,
    version: prompt.version,
    scopes: prompt.scopes ?? ['prompts:read'],
    arguments: args,
    message: prompt.message ?? [`${title}.`, ...args.map((a) => `${a.name}: {${a.name}}`)].join('\n'),
    ...(prompt.rateLimit ? { rateLimit: prompt.rateLimit } : {}),
  };
}

function completeTool(tool: ToolSpec, defaultBackend: ToolSpec['backend'] & string): CompleteToolSpec {
  const title = tool.title ?? titleFromName(tool.name);
  const complete: CompleteToolSpec = {
    name: tool.name,
    title,
    description: tool.description ?? defaultDescription(title, tool.access),
    access: tool.access,
    version: tool.version,
    scopes: tool.scopes ?? [`tools:${tool.access}`],
    backend: tool.backend ?? defaultBackend,
    // No params means none: a tool takes exactly the arguments its spec lists.
    params: tool.params ?? [],
    approval: tool.approval,
  };
  if (tool.rateLimit) complete.rateLimit = tool.rateLimit;
  if (tool.cache) complete.cache = tool.cache;
  if (tool.maxResponseTokens !== undefined) complete.maxResponseTokens = tool.maxResponseTokens;
  if (tool.query) complete.query = tool.query;
  if (tool.http) complete.http = tool.http;
  if (tool.catalogRole) complete.catalogRole = tool.catalogRole;
  return complete;
}

/**
 * Every argument a call may carry: the tool's own parameters and, on a tool with approval
 * `human`, the id of the granted approval it is called again with. The tool file's input schema
 * and the contract lock are both built from this list, so they always agree.
 */
export function callParams(tool: Pick<CompleteToolSpec, 'params' | 'approval'>): ParamSpec[] {
  if (tool.approval !== 'human') return tool.params;
  return [
    ...tool.params,
    {
      name: APPROVAL_ID_PARAM,
      type: 'string',
      description: 'Only when calling again after an approver granted this call: the approval id the first call returned.',
      required: false,
    },
  ];
}

/** `crm.search_accounts` -> `Crm search accounts`. */
export function titleFromName(name: string): string {
  const words = name.split(/[._\-\s]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean).map((w) => w.toLowerCase());
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function defaultDescription(title: string, access: ToolSpec['access']): string {
  return access === 'read'
    ? `${title}. Reads records of the caller's tenant and returns the matches; changes nothing.`
    : `${title}. Creates a record in the caller's tenant and returns it.`;
}
