/** What a handler gets besides its (already validated) input. */
import type { Principal } from '../auth/principal.js';
import type { TenantBackends } from '../backends/index.js';
import type { Logger } from '../observability/logger.js';
import type { CallInput } from './input-requests.js';

export interface ToolContext {
  /** Who is calling. */
  principal: Principal;
  /** The caller's tenant: `principal.tenantId`, repeated because almost every handler needs it. */
  tenant: string;
  /** Every backend, already scoped to `tenant`: a handler cannot name another tenant. */
  backends: TenantBackends;
  /**
   * Whether the caller's tenant may use the tool (or catalog operation) of this name (tool
   * rollout). A catalog's search lists only what it may.
   */
  enabled?: ((name: string) => boolean) | undefined;
  /** A logger bound to this call (request id, tool, tenant). Writes to stderr, for operators: the client never sees it. */
  log: Logger;
  /** Aborted when the client cancels or the server shuts down: pass it to slow I/O. */
  signal: AbortSignal;
  /** This call's id, as written in its audit record. */
  requestId: string;
  /**
   * Tells the client how far the call has got (`notifications/progress`), when the client asked
   * for progress on this call (it sent a progressToken); otherwise does nothing. `done` must grow
   * from one call to the next (the protocol says so): a value not above the last one sent is
   * dropped. Give `total` when known. Never throws: progress is a courtesy, not part of the answer.
   */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /**
   * Log messages for the client's user (`notifications/message`), unlike `log`, which is the
   * server's own. The message and `data` go through the server's redaction (as audit records and
   * log lines do) before they leave. Sent only at or above CLIENT_LOG_LEVEL and the level the
   * client asked for (README, "Progress and messages to the client"). Never throws.
   */
  clientLog: ClientLog;
  /**
   * Asking the client for more mid-call (a form for the user, a message from its model, its
   * roots), and the answers when the call comes back with them (input-requests.ts).
   */
  input: CallInput;
}

/** The levels a handler logs to the client at (MCP's syslog levels, the usual five). */
export type ClientLogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error';

export type ClientLog = {
  readonly [Level in ClientLogLevel]: (message: string, data?: Record<string, unknown>) => Promise<void>;
};
