/**
 * What a handler sends the client while it runs (ToolContext.progress and .clientLog), built per
 * call from what the transport passed (call-request.ts).
 *
 * Progress: `notifications/progress` carrying the call's progressToken, only when the client sent
 * one. Over HTTP the SDK answers a call that notifies as an SSE stream, so progress reaches the
 * client before the result in both eras, stateless as the server is; over stdio it goes to stdout.
 *
 * Messages: `notifications/message`, the message and data redacted by the server's Redactor
 * first. A message is sent when its level is at or above both
 *   - CLIENT_LOG_LEVEL (default `info`), the server's floor, and
 *   - the level the client asked for, which the SDK applies (McpServer's `ctx.mcpReq.log`):
 *       2026-07-28: the request's own `_meta["io.modelcontextprotocol/logLevel"]`; a request
 *         without it gets no messages at all (the client opts in per request);
 *       2025 era over stdio: `logging/setLevel`, which lasts for the connection (one McpServer);
 *       2025 era over HTTP: `logging/setLevel` is answered, but each request has a McpServer of
 *         its own (stateless), so the level does not carry over to later calls: only
 *         CLIENT_LOG_LEVEL applies.
 */
import type { LoggingLevel } from '@modelcontextprotocol/server';

import type { Logger } from '../observability/logger.js';
import type { Redactor } from '../redaction/redactor.js';
import type { ClientLog, ClientLogLevel, ToolContext } from '../tool-model/define-tool.js';
import type { CallRequest } from './call-request.js';
import { CLIENT_LOG_LEVELS } from './client-log-levels.js';

export interface ClientMessageSettings {
  /** What every message passes through before it leaves the server. */
  redactor: Redactor;
  /** CLIENT_LOG_LEVEL: nothing below it is sent, whatever the client asks for. */
  level: LoggingLevel;
}

/** `ctx.progress` of one call. */
export function progressOf(request: CallRequest, log: Logger): ToolContext['progress'] {
  const { progressToken, notify } = request;
  if (progressToken === undefined || !notify) return () => Promise.resolve();
  let last = Number.NEGATIVE_INFINITY;
  return async (done, total, message) => {
    if (!Number.isFinite(done) || done <= last) return;
    last = done;
    const params = { progressToken, progress: done, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) };
    await notify({ method: 'notifications/progress', params }).catch((error: unknown) => log.debug({ err: error }, 'progress notification not sent'));
  };
}

/** `ctx.clientLog` of one call; `logger` is the tool's name, as the client shows it. */
export function clientLogOf(request: CallRequest, settings: ClientMessageSettings, logger: string, log: Logger): ClientLog {
  const floor = CLIENT_LOG_LEVELS.indexOf(settings.level);
  const at =
    (level: ClientLogLevel) =>
    async (message: string, data?: Record<string, unknown>): Promise<void> => {
      const { sendLog } = request;
      if (!sendLog || CLIENT_LOG_LEVELS.indexOf(level) < floor) return;
      const redacted = settings.redactor.value({ ...data, message });
      await sendLog(level, redacted, logger).catch((error: unknown) => log.debug({ err: error }, 'client log message not sent'));
    };
  return { debug: at('debug'), info: at('info'), notice: at('notice'), warning: at('warning'), error: at('error') };
}
