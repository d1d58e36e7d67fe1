/**
 * What a tool is: a small declarative object the pipeline runs. Each file in src/tools/ default-
 * exports one, and src/tools/registry.ts lists them. The tool model (this folder) imports nothing
 * of the pipeline, so backends and the pipeline can both depend on it. A tool file imports all it
 * needs from here: the handler's context and ToolError are re-exported.
 */
import type { z } from 'zod';

import type { WithContent } from './content.js';
import { checkGoverned } from './governed.js';
import type { InputQuestion } from './input-requests.js';
import type { ToolContext } from './tool-context.js';

export type { ClientLog, ClientLogLevel, ToolContext } from './tool-context.js';
export { ToolError } from './tool-error.js';
export { audio, embeddedResource, image, resourceLink, withContent, type BlockAnnotations, type WithContent } from './content.js';
export { elicit, listRoots, sample, type CallInput, type InputQuestion, type InputRequest } from './input-requests.js';

/** `read` tools are advertised with readOnlyHint, `write` tools with destructiveHint. */
export type ToolAccess = 'read' | 'write';

/** Who must agree before a write tool runs (pipeline/approve.ts). */
export type ApprovalMode = 'none' | 'client' | 'human';

export interface ToolDefinition<
  Input extends z.ZodObject = z.ZodObject,
  Output extends z.ZodObject = z.ZodObject,
> {
  /** 1-128 characters of `[A-Za-z0-9_.-]`, verb first: `search_customers`, `crm.create_note`. */
  name: string;
  /** Semver of the tool's contract; contracts/tools.lock.json records it. */
  version: string;
  title: string;
  /** What the tool does and when to use it: the model reads this to choose the tool. */
  description: string;
  access: ToolAccess;
  /** Every scope the caller needs (all of them). */
  scopes: readonly string[];
  /** Overrides RATE_LIMIT_TOOL_PER_MINUTE for this tool. */
  rateLimit?: { perMinute: number } | undefined;
  /**
   * Read tools only: keep each successful answer `ttlSeconds` per tenant and arguments
   * (pipeline/response-cache.ts). A hit is still authorized, rate-limited and audited; a write
   * of the same tenant on a backend the answer came from drops it.
   */
  cache?: { ttlSeconds: number } | undefined;
  /**
   * The largest answer, in estimated tokens, the model gets from this tool; above it the answer
   * is cut down (pipeline/response-budget.ts). Default: MAX_RESPONSE_TOKENS.
   */
  maxResponseTokens?: number | undefined;
  /**
   * Write tools only. `client`: the user confirms each call in the client; `human`: the call is
   * parked until an approver other than the caller grants it (then the caller calls again with
   * `approvalId`, which inputSchema must declare). Default `none`.
   */
  approval?: ApprovalMode | undefined;
  /**
   * Marks the tool for removal: tools/list says so in its description, its calls are audited
   * with `deprecated: true`, and removing it (before or after `removeAfter`) is a breaking
   * change for the contract check.
   */
  deprecated?: { replacement?: string; removeAfter?: string /* YYYY-MM-DD */ } | undefined;
  inputSchema: Input;
  outputSchema: Output;
  /**
   * A tool that stands for others (an API catalog's call_operation): given the call's arguments,
   * the tool it names and that tool's arguments. The pipeline then runs the call as a call of
   * that tool, with its scopes, access, rate limit, approval and audit record. `undefined`: the
   * call runs as a call of this tool (its handler says what is wrong). `caller.enabled` says
   * whether the caller's tenant may use a tool of that name (its rollout); absent outside a call
   * (the contract check).
   */
  route?(args: unknown, caller?: RouteCaller): { tool: AnyTool; args: unknown } | undefined;
  /**
   * The tools `route` may return, by name and approval: a tenant's rollout (MCP_TOOL_ROLLOUT) may
   * name them as it names tools, and one with approval `human` opens /admin/approvals.
   */
  routesTo?: ReadonlyArray<{ name: string; approval?: ApprovalMode | undefined }> | undefined;
  /**
   * With `route`: every tool it may route to (an API catalog's operations). The contract check
   * records each as an operation of the lock, so a changed or removed one is classified as a
   * tool's would be, and each one's `answer` (its documented answer's JSON Schema) as its output.
   * Only the contract check calls it.
   */
  routes?(): ReadonlyArray<AnyTool & { answer?: Record<string, unknown> | undefined }>;
  /**
   * Returns the structured result (validated against outputSchema and sent as both
   * structuredContent and text), or `withContent(result, blocks)` to send images, audio or
   * resources after it (content.ts). Throw a {@link ToolError} for an error the model should
   * read; anything else thrown becomes a generic "internal error" result and is logged, not shown.
   * Or return `ctx.input.ask(...)` to ask the client for more first (input-requests.ts).
   */
  handler(input: z.output<Input>, ctx: ToolContext): Promise<ToolReturn<z.input<Output>> | InputQuestion> | ToolReturn<z.input<Output>> | InputQuestion;
}

/** What a handler returns: its structured result, alone or with more content blocks. */
export type ToolReturn<T> = T | WithContent<T>;

/** Who a routed call is for, as `route` sees it. */
export interface RouteCaller {
  /** Whether the caller's tenant may use the tool of this name (MCP_TOOL_ROLLOUT). */
  enabled(name: string): boolean;
}

/** A tool of any input/output type, as the registry and the pipeline hold them. */
export type AnyTool = ToolDefinition<any, any>;


/** Declares a tool; checks the parts TypeScript cannot (name, version, rate limit, cache, budget) at load time. */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  tool: ToolDefinition<Input, Output>,
): ToolDefinition<Input, Output> {
  checkGoverned('Tool', tool);
  if (tool.cache) {
    if (tool.access !== 'read') throw new Error(`Tool ${tool.name}: cache applies to read tools only`);
    if (!(Number.isInteger(tool.cache.ttlSeconds) && tool.cache.ttlSeconds >= 1 && tool.cache.ttlSeconds <= 86_400)) {
      throw new Error(`Tool ${tool.name}: cache.ttlSeconds must be a whole number from 1 to 86400`);
    }
  }
  if (tool.maxResponseTokens !== undefined && !(Number.isInteger(tool.maxResponseTokens) && tool.maxResponseTokens >= 100)) {
    throw new Error(`Tool ${tool.name}: maxResponseTokens must be a whole number of at least 100`);
  }
  const approval = tool.approval ?? 'none';
  if (approval !== 'none' && tool.access !== 'write') {
    throw new Error(`Tool ${tool.name}: approval "${approval}" applies to write tools only`);
  }
  if (approval === 'human' && !('approvalId' in tool.inputSchema.shape)) {
    throw new Error(`Tool ${tool.name}: approval "human" needs an optional approvalId string in inputSchema (callers send it once granted)`);
  }
  return tool;
}
