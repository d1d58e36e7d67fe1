/**
 * The McpServer factory. Both transports call it: HTTP once per request (createMcpHandler is
 * stateless), stdio once per connection. So it must stay cheap: everything costly (schemas,
 * limiters, loggers, backends) is built once in app.ts and closed over here; the factory only
 * registers each tool, resource and prompt the caller's tenant may use (rollout), routing its
 * calls, reads and gets through the pipeline.
 */
import { readFileSync } from 'node:fs';

import {
  CLIENT_CAPABILITIES_META_KEY,
  McpServer,
  ProtocolError,
  ResourceTemplate,
  type ClientCapabilities,
  type ServerContext,
  type StandardSchemaWithJSON,
  type ToolAnnotations,
} from '@modelcontextprotocol/server';
import type { z } from 'zod';

import type { Principal } from './auth/principal.js';
import { callBudgetsOf } from './limits/call-budgets.js';
import { callTraceInfo } from './observability/tracing.js';
import type { ToolPipeline } from './pipeline/call-tool.js';
import type { CallRequest } from './pipeline/call-request.js';
import { canAnswerKind } from './pipeline/client-capabilities.js';
import type { AnyPrompt } from './tool-model/define-prompt.js';
import type { AnyResource } from './tool-model/define-resource.js';
import type { AnyTool } from './tool-model/define-tool.js';
import { swallowedArgumentKeys } from './pipeline/swallowed-keys.js';
import { isOutputChecked } from './pipeline/validated-output.js';
import type { ToolRollout } from './pipeline/tool-rollout.js';

export type ServerFactory = (principal: Principal | undefined) => McpServer;

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};
export const SERVER_INFO = { name: packageJson.name, version: packageJson.version };

/** Everything a server serves: tools, and the resources and prompts beside them. */
export interface Catalog {
  tools: readonly AnyTool[];
  resources: readonly AnyResource[];
  prompts: readonly AnyPrompt[];
}

export function createServerFactory(catalog: Catalog, pipeline: ToolPipeline, rollout: ToolRollout): ServerFactory {
  // Computed once per process, not per request.
  const registrations = catalog.tools.map((tool) => ({
    tool,
    config: {
      title: tool.title,
      description: describe(tool),
      inputSchema: advertiseOnly(tool.inputSchema),
      outputSchema: convertedOnce(tool.outputSchema),
      annotations: annotationsFor(tool),
    },
  }));
  const prompts = catalog.prompts.map((prompt) => ({
    prompt,
    config: { title: prompt.title, description: prompt.description, argsSchema: advertiseOnly(prompt.arguments) },
  }));
  // Templates built once; each request's server registers the same objects.
  const resources = catalog.resources.map((resource) => ({
    resource,
    at: resource.uriTemplate === undefined ? resource.uri! : new ResourceTemplate(resource.uriTemplate, { list: undefined }),
    config: { title: resource.title, description: resource.description, mimeType: resource.mimeType },
  }));
  // What completion/complete may name: a prompt by name, a resource template by its template.
  const completable = new Map<string, AnyPrompt | AnyResource>([
    ...catalog.prompts.map((prompt): [string, AnyPrompt] => [`ref/prompt ${prompt.name}`, prompt]),
    ...catalog.resources.filter((r) => r.uriTemplate !== undefined).map((resource): [string, AnyResource] => [`ref/resource ${resource.uriTemplate}`, resource]),
  ]);
  // No list_changed notifications: a stateless HTTP server has no stream to send them on, and the
  // lists change only on restart or SIGHUP (tool rollout), so the capabilities say so.
  const capabilities = {
    tools: { listChanged: false },
    // Handlers' ctx.clientLog sends notifications/message (pipeline/client-messages.ts says at which levels).
    logging: {},
    ...(resources.length > 0 ? { resources: { listChanged: false } } : {}),
    ...(prompts.length > 0 ? { prompts: { listChanged: false } } : {}),
    // Prompts' arguments and templates' variables can be completed (with no suggestions where no completer is given).
    ...(completable.size > 0 ? { completions: {} } : {}),
  };

  return (principal) => {
    // Tools are declared even when the tenant may use none (tool rollout): an empty list, not a missing capability.
    const server = new McpServer(SERVER_INFO, {
      capabilities,
      // An echoed requestState (input_required rounds) must be this server's, for this caller.
      requestState: { verify: (state) => pipeline.verifyRequestState(state, principal) },
    });
    // Anything disabled for this tenant does not exist for it: not listed, unknown if called.
    const enabled = (name: string) => !principal || rollout.isEnabled(name, principal.tenantId);
    for (const { tool, config } of registrations) {
      if (!enabled(tool.name)) continue;
      server.registerTool(tool.name, config, (args, ctx) => pipeline.call(tool, args, principal, callRequest(server, ctx, tool.name)));
    }
    for (const { resource, at, config } of resources) {
      if (!enabled(resource.name)) continue;
      const read = (uri: URL, variables: Record<string, unknown>, ctx: ServerContext) =>
        pipeline.read(resource, uri.href, variables, principal, callRequest(server, ctx));
      if (typeof at === 'string') server.registerResource(resource.name, at, config, (uri, ctx) => read(uri, {}, ctx));
      else server.registerResource(resource.name, at, config, (uri, variables, ctx) => read(uri, variables, ctx));
    }
    for (const { prompt, config } of prompts) {
      if (!enabled(prompt.name)) continue;
      server.registerPrompt(prompt.name, config, (args, ctx) => pipeline.getPrompt(prompt, (args ?? {}) as Record<string, unknown>, principal, callRequest(server, ctx)));
    }
    if (completable.size > 0) {
      server.server.setRequestHandler('completion/complete', (request, ctx) => {
        const { ref, argument, context } = request.params;
        const target = completable.get(ref.type === 'ref/prompt' ? `ref/prompt ${ref.name}` : `ref/resource ${ref.uri}`);
        // One the tenant does not have is unknown, as it is to prompts/get and resources/read.
        if (!target || !enabled(target.name)) throw new ProtocolError(INVALID_PARAMS, `Nothing to complete for ${ref.type === 'ref/prompt' ? `prompt ${ref.name}` : `resource ${ref.uri}`}`);
        const args = { argument: argument.name, value: argument.value, context: context?.arguments ?? {} };
        return pipeline.complete(target, args, principal, callRequest(server, ctx));
      });
    }
    return server;
  };
}

const INVALID_PARAMS = -32602;

/** What the pipeline needs of the SDK's request context. `toolName`: a tools/call's, whose rate-limit budgets the HTTP transport may have taken. */
function callRequest(server: McpServer, ctx: ServerContext, toolName?: string): CallRequest {
  // A 2026-07-28 client declares its capabilities with each request (its envelope); over HTTP the
  // SDK also seeds them into the per-request server, over stdio (one server for the connection)
  // it does not. A 2025-era client declared them once, at initialize.
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
  const clientCapabilities = declared ?? server.server.getClientCapabilities();
  return {
    signal: ctx.mcpReq.signal,
    clientCapabilities,
    // Approval `client` asks with a form.
    canConfirm: canAnswerKind(clientCapabilities, 'elicitation'),
    inputResponses: ctx.mcpReq.inputResponses,
    requestState: ctx.mcpReq.requestState(),
    trace: callTraceInfo(ctx),
    swallowedKeys: swallowedArgumentKeys(ctx.mcpReq._meta),
    budgets: toolName === undefined ? undefined : callBudgetsOf(ctx.http?.authInfo, toolName),
    notify: ctx.mcpReq.notify,
    progressToken: ctx.mcpReq._meta?.progressToken,
    sendLog: ctx.mcpReq.log,
  };
}

/** A deprecated tool says so where the model reads: its description. */
function describe(tool: AnyTool): string {
  if (!tool.deprecated) return tool.description;
  const { replacement, removeAfter } = tool.deprecated;
  const use = replacement ? ` Use ${replacement} instead.` : '';
  const until = removeAfter ? ` It will be removed after ${removeAfter}.` : '';
  return `${tool.description}\n\nDeprecated.${use}${until}`;
}

function annotationsFor(tool: AnyTool): ToolAnnotations {
  return tool.access === 'read'
    ? { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }
    : { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };
}

/**
 * An input schema as the SDK sees it (a tool's arguments, a prompt's): the same JSON Schema on
 * tools/list and prompts/list (so the contract in contracts/tools.lock.json holds), but a validate
 * step that lets every argument through, because the pipeline validates
 * (pipeline/validate-input.ts) in order to audit rejected calls as `invalid`. Built once per
 * tool and prompt, with the factory's registrations.
 */
function advertiseOnly(schema: z.ZodObject): StandardSchemaWithJSON<unknown, unknown> {
  const standard = (schema as unknown as StandardSchemaWithJSON<unknown, unknown>)['~standard'];
  return {
    '~standard': {
      version: 1,
      vendor: 'tool-pipeline',
      validate: (value: unknown) => ({ value }),
      jsonSchema: jsonSchemaOnce(standard.jsonSchema),
    },
  };
}

/**
 * The tool's output schema as the SDK sees it: zod's own validation (the SDK checks every
 * result's structuredContent against it, after the pipeline's redaction), with the JSON Schema
 * conversion done once. A result the pipeline checked against this same schema, unchanged since
 * (pipeline/validated-output.ts), is not checked twice.
 */
function convertedOnce(schema: AnyTool['outputSchema']): StandardSchemaWithJSON<unknown, unknown> {
  const standard = (schema as StandardSchemaWithJSON<unknown, unknown>)['~standard'];
  const validate: typeof standard.validate = (value) => (isOutputChecked(value) ? { value } : standard.validate(value));
  return { '~standard': { version: 1, vendor: 'tool-pipeline', validate, jsonSchema: jsonSchemaOnce(standard.jsonSchema) } };
}

type JsonSchemaConverter = StandardSchemaWithJSON<unknown, unknown>['~standard']['jsonSchema'];

/**
 * A schema's JSON Schema conversions, each computed once. The SDK asks for them on every request
 * (the listed input schema for 2026-07-28 Mcp-Param checks, the output schema to shape each
 * result) on the McpServer it builds per request, and zod rebuilds the JSON Schema each time:
 * several percent of a request's CPU. The result is the same every time, so it is kept.
 */
function jsonSchemaOnce(converter: JsonSchemaConverter): JsonSchemaConverter {
  const cache = new Map<string, Record<string, unknown>>();
  const once =
    (io: 'input' | 'output'): JsonSchemaConverter['input'] =>
    (options) => {
      const key = `${io} ${options.target} ${JSON.stringify(options.libraryOptions ?? null)}`;
      let json = cache.get(key);
      if (!json) {
        json = converter[io](options);
        cache.set(key, json);
      }
      return json;
    };
  return { input: once('input'), output: once('output') };
}
