/**
 * stdio: a host (Claude Desktop, Claude Code, Cursor…) spawns this process and speaks JSON-RPC
 * over stdin/stdout. One connection, one caller: the principal is resolved once, at start-up.
 * stdout belongs to the protocol; logs and audit records go to stderr or a file.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';

import type { App } from '../app.js';
import type { RunningTransport } from './running-transport.js';

export async function serveOverStdio(app: App): Promise<RunningTransport> {
  const principal = await app.authenticator.stdioPrincipal();
  const handle = serveStdio(() => app.createServer(principal), {
    onerror: (error) => app.logger.warn({ err: error }, 'stdio transport error'),
  });
  app.logger.info({ tenant: principal.tenantId, subject: principal.subject, tools: app.tools.length }, 'serving MCP over stdio');
  return {
    // Nothing to stop: the pipeline refuses new calls once shutdown begins.
    stopAccepting: async () => {},
    close: () => handle.close(),
  };
}
