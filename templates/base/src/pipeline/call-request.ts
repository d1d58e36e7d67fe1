/** What a transport passes the pipeline about one tools/call request, besides its arguments. */
import type { ClientCapabilities, LoggingLevel, Notification } from '@modelcontextprotocol/server';

import type { Taken } from '../limits/limiter-store.js';
import type { CallTraceInfo } from '../observability/tracing.js';

export interface CallRequest {
  signal: AbortSignal;
  /** Whether the client declared form elicitation on this request (approval `client` needs it). */
  canConfirm: boolean;
  /** What the client declared it can answer on this request (ctx.input.canAsk, client-capabilities.ts). */
  clientCapabilities?: ClientCapabilities | undefined;
  /** A retry after input_required: the client's answers, and the requestState it echoes. */
  inputResponses?: Record<string, unknown> | undefined;
  requestState?: unknown;
  /** The caller's trace context and the JSON-RPC id, for the call's span. */
  trace?: CallTraceInfo | undefined;
  /** Argument keys the SDK dropped before the call reached the pipeline (`__proto__`: swallowed-keys.ts). */
  swallowedKeys?: readonly string[] | undefined;
  /** The call's rate-limit budgets, when the transport took them already (src/limits/call-budgets.ts). */
  budgets?: Taken | undefined;
  /**
   * The tool the client called, when it routed the call to another (an API catalog's
   * call_operation to the operation it names): the budgets above are that tool's.
   */
  routedFrom?: string | undefined;
  /**
   * Sends a notification about this request: over HTTP on the request's own SSE stream (the SDK
   * switches the answer to SSE for it), over stdio on stdout. The handler's `ctx.progress` uses it.
   */
  notify?: ((notification: Notification) => Promise<void>) | undefined;
  /** params._meta.progressToken: the client asked for progress on this call. */
  progressToken?: string | number | undefined;
  /**
   * The SDK's `notifications/message` sender: sends nothing when the server declares no `logging`,
   * and applies the client's level (client-messages.ts says which, per protocol era).
   */
  sendLog?: ((level: LoggingLevel, data: unknown, logger?: string) => Promise<void>) | undefined;
}
