/**
 * stdio: a host (Claude Desktop, Claude Code, Cursor…) spawns this process and speaks JSON-RPC
 * over stdin/stdout. One connection, one caller: the principal is resolved once, at start-up.
 * stdout belongs to the protocol; logs and audit records go to stderr or a file.
 */
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';

import type { App } from '../app.js';
import { noteSwallowedArgumentKeys } from '../pipeline/swallowed-keys.js';
import type { RunningTransport } from './running-transport.js';

export async function serveOverStdio(app: App): Promise<RunningTransport> {
  const principal = await app.authenticator.stdioPrincipal();
  const handle = serveStdio(() => app.createServer(principal), {
    transport: noticingSwallowedKeys(new StdioServerTransport()),
    onerror: (error) => app.logger.warn({ err: error }, 'stdio transport error'),
  });
  app.logger.info({ tenant: principal.tenantId, subject: principal.subject, tools: app.tools.length }, 'serving MCP over stdio');
  return {
    // Nothing to stop: the pipeline refuses new calls once shutdown begins.
    stopAccepting: async () => {},
    close: () => handle.close(),
  };
}

/**
 * The stdio wire, with each incoming message looked at as parsed, before the SDK rebuilds it:
 * argument keys it would drop (`__proto__`) are noted for the pipeline (pipeline/swallowed-keys.ts).
 */
function noticingSwallowedKeys(wire: StdioServerTransport): StdioServerTransport {
  return new Proxy(wire, {
    set(target, property, value: unknown) {
      if (property === 'onmessage' && typeof value === 'function') {
        const deliver = value as NonNullable<StdioServerTransport['onmessage']>;
        target.onmessage = (message) => {
          noteSwallowedArgumentKeys(message);
          deliver(message);
        };
        return true;
      }
      return Reflect.set(target, property, value);
    },
  });
}
