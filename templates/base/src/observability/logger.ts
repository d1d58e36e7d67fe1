/**
 * Operational logs: pino, JSON lines, always to stderr.
 *
 * stderr because over stdio the protocol owns stdout, and one logger that never writes to stdout
 * cannot corrupt it by accident. Audit records are a separate stream (pipeline/audit.ts).
 */
import { pino, type DestinationStream, type Logger } from 'pino';

import { Redactor } from '../redaction/redactor.js';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * `redactor` rewrites every line before it is written (src/redaction/redactor.ts): secret keys,
 * REDACT_PATHS, and detected secrets and personal data anywhere in it, error messages included.
 */
export function createLogger(
  level: LogLevel,
  name: string,
  redactor: Redactor = new Redactor(),
  destination: DestinationStream = pino.destination({ fd: 2, sync: true }),
): Logger {
  return pino(
    {
      name,
      level,
      // Never let a credential reach the logs, even if someone logs a whole request.
      redact: {
        paths: ['authorization', 'headers.authorization', 'req.headers.authorization', 'apiKey', 'token'],
        censor: '[redacted]',
      },
      hooks: { streamWrite: (line) => redactor.logLine(line) },
    },
    destination,
  );
}
