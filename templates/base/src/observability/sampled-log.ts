/**
 * A log line for events that can come in floods (requests refused for a bad credential): the
 * first of each kind is logged at once, then at most one per interval, carrying `count`, how
 * many of that kind there were since the previous line (this one included). Summing `count`
 * gives the total; exact per-second rates are in the metrics.
 */
import type { Logger } from './logger.js';

/** Kinds tracked at once; past it the oldest is forgotten (its next event is logged at once). */
const MAX_KINDS = 1_000;

export type SampledLog = (kind: string, fields: Record<string, unknown>, message: string) => void;

export function createSampledLog(logger: Logger, level: 'info' | 'warn', intervalMs = 10_000): SampledLog {
  const kinds = new Map<string, { loggedAt: number; count: number }>();
  return (kind, fields, message) => {
    const now = Date.now();
    let seen = kinds.get(kind);
    if (!seen) {
      if (kinds.size >= MAX_KINDS) kinds.delete(kinds.keys().next().value!);
      seen = { loggedAt: -Infinity, count: 0 };
      kinds.set(kind, seen);
    }
    seen.count += 1;
    if (now - seen.loggedAt < intervalMs) return;
    logger[level]({ ...fields, count: seen.count }, message);
    seen.loggedAt = now;
    seen.count = 0;
  };
}
