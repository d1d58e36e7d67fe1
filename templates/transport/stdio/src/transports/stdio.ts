/**
 * stdio: a host (Claude Desktop, Claude Code, Cursor…) spawns this process and speaks JSON-RPC
 * over stdin/stdout. One connection, one caller: the principal is resolved once, at start-up.
 * stdout belongs to the protocol; logs and audit records go to stderr or a file.
 */
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';

import type { App } from '../app.js';
import { createToolCallAudit, toolCallsIn, type ToolCallAudit } from '../audit/tool-call-audit.js';
import type { Principal } from '../auth/principal.js';
import { noteSwallowedArgumentKeys } from '../pipeline/swallowed-keys.js';
import { AnswersInFlight } from './in-flight.js';
import type { RunningTransport } from './running-transport.js';

export async function serveOverStdio(app: App): Promise<RunningTransport> {
  const principal = await app.authenticator.stdioPrincipal();
  const answering = new AnswersInFlight<string | number>();
  const handle = serveStdio(() => app.createServer(principal), {
    transport: lookingAtEachMessage(new StdioServerTransport(), createToolCallAudit(app), principal, answering),
    onerror: (error) => app.logger.warn({ err: error }, 'stdio transport error'),
  });
  app.logger.info({ tenant: principal.tenantId, subject: principal.subject, tools: app.tools.length }, 'serving MCP over stdio');
  return {
    // Nothing to stop: the pipeline refuses new calls once shutdown begins.
    stopAccepting: async () => {},
    close: async (graceMs) => {
      await answering.settled(graceMs);
      await handle.close();
    },
  };
}

/**
 * The stdio wire, with each incoming message looked at as parsed, before the SDK rebuilds it:
 * argument keys it would drop (`__proto__`) are noted for the pipeline (pipeline/swallowed-keys.ts),
 * and a tools/call naming a tool this tenant does not have is audited before the SDK answers it
 * as unknown, as over HTTP (it never reaches the pipeline, which audits every other call). Each
 * request is `answering` from its arrival to its response's send (but a subscriptions/listen,
 * which the server answers only when it closes it).
 */
function lookingAtEachMessage(wire: StdioServerTransport, callAudit: ToolCallAudit, principal: Principal, answering: AnswersInFlight<string | number>): StdioServerTransport {
  // Messages reach the SDK in the order they came, each once the one before has been audited.
  let previous = Promise.resolve();
  const send: StdioServerTransport['send'] = async (message) => {
    await wire.send(message);
    if (!('method' in message) && 'id' in message && message.id !== undefined) answering.settle(message.id);
  };
  return new Proxy(wire, {
    set(target, property, value: unknown) {
      if (property === 'onmessage' && typeof value === 'function') {
        const deliver = value as NonNullable<StdioServerTransport['onmessage']>;
        target.onmessage = (message) => {
          if ('method' in message && 'id' in message && message.method !== 'subscriptions/listen') answering.add(message.id);
          noteSwallowedArgumentKeys(message);
          const calls = toolCallsIn(message);
          previous = previous
            .then(() => callAudit.unknownTools(calls, principal))
            .then(() => deliver(message))
            .catch((error: unknown) => target.onerror?.(error instanceof Error ? error : new Error(String(error))));
        };
        return true;
      }
      return Reflect.set(target, property, value);
    },
    get(target, property) {
      return property === 'send' ? send : (Reflect.get(target, property, target) as unknown);
    },
  });
}
