/** The levels of messages to the client (MCP's syslog levels), least severe first. Imports nothing of the server, so config.ts can read it. */
import type { LoggingLevel } from '@modelcontextprotocol/server';

export const CLIENT_LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const satisfies readonly LoggingLevel[];
