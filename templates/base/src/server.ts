/**
 * The McpServer factory. Both transports call it: HTTP once per request (createMcpHandler is
 * stateless), stdio once per connection. So it must stay cheap: everything costly (schemas,
 * limiters, loggers, backends) is built once in app.ts and closed over here; the factory only
 * registers each tool the caller's tenant may use (tool rollout), routing its calls through the
 * pipeline.
 */
import { readFileSync } from 'node:fs';

import { McpServer, type StandardSchemaWithJSON, type ToolAnnotations } from '@modelcontextprotocol/server';

import type { Principal } from './auth/principal.js';
import { callBudgetsOf } from './limits/call-budgets.js';
import { callTraceInfo } from './observability/tracing.js';
import type { ToolPipeline } from './pipeline/call-tool.js';
import type { AnyTool } from './tool-model/define-tool.js';
import { swallowedArgumentKeys } from './pipeline/swallowed-keys.js';
import type { ToolRollout } from './pipeline/tool-rollout.js';

export type ServerFactory = (principal: Principal | undefined) => McpServer;

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};
export const SERVER_INFO = { name: packageJson.name, version: packageJson.version };

export function createServerFactory(tools: readonly AnyTool[], pipeline: ToolPipeline, rollout: ToolRollout): ServerFactory {
  // Computed once per process, not per request.
  const registrations = tools.map((tool) => ({
    tool,
    config: {
      title: tool.title,
      description: describe(tool),
      inputSchema: advertiseOnly(tool),
      outputSchema: convertedOnce(tool.outputSchema),
      annotations: annotationsFor(tool),
    },
  }));

  return (principal) => {
    // Tools are declared even when the tenant may use none (tool rollout): an empty list, not a missing capability.
    // logging: handlers' ctx.clientLog sends notifications/message (pipeline/client-messages.ts says at which levels).
    const server = new McpServer(SERVER_INFO, { capabilities: { tools: {}, logging: {} } });
    for (const { tool, config } of registrations) {
      // A tool disabled for this tenant does not exist for it: not listed, unknown if called.
      if (principal && !rollout.isEnabled(tool.name, principal.tenantId)) continue;
      server.registerTool(tool.name, config, (args, ctx) =>
        pipeline.call(tool, args, principal, {
          signal: ctx.mcpReq.signal,
          canConfirm: canElicitForm(server),
          inputResponses: ctx.mcpReq.inputResponses,
          requestState: ctx.mcpReq.requestState(),
          trace: callTraceInfo(ctx),
          swallowedKeys: swallowedArgumentKeys(ctx.mcpReq._meta),
          budgets: callBudgetsOf(ctx.http?.authInfo, tool.name),
          notify: ctx.mcpReq.notify,
          progressToken: ctx.mcpReq._meta?.progressToken,
          sendLog: ctx.mcpReq.log,
        }),
      );
    }
    return server;
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

/**
 * Whether the client on this request can show a form (approval `client`): the capabilities it
 * declared on this request (2026-07-28) or at initialize (2025 era; none on stateless HTTP, where
 * the server cannot send it requests). A bare `elicitation: {}` means form, as in the spec.
 */
function canElicitForm(server: McpServer): boolean {
  const elicitation = server.server.getClientCapabilities()?.elicitation;
  if (!elicitation) return false;
  return elicitation.form !== undefined || elicitation.url === undefined;
}

function annotationsFor(tool: AnyTool): ToolAnnotations {
  return tool.access === 'read'
    ? { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }
    : { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };
}

/**
 * The tool's input schema as the SDK sees it: the same JSON Schema on tools/list (so the
 * contract in contracts/tools.lock.json holds), but a validate step that lets every argument
 * through, because the pipeline validates (pipeline/validate-input.ts) in order to audit
 * rejected calls as `invalid`. Built once per tool, with the factory's registrations.
 */
function advertiseOnly(tool: AnyTool): StandardSchemaWithJSON<unknown, unknown> {
  const standard = tool.inputSchema['~standard'];
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
 * conversion done once.
 */
function convertedOnce(schema: AnyTool['outputSchema']): StandardSchemaWithJSON<unknown, unknown> {
  const standard = (schema as StandardSchemaWithJSON<unknown, unknown>)['~standard'];
  return { '~standard': { version: 1, vendor: 'tool-pipeline', validate: standard.validate, jsonSchema: jsonSchemaOnce(standard.jsonSchema) } };
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
