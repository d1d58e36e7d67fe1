/**
 * The Redis connection rate limits share across replicas (REDIS_URL).
 *
 * Commands fail at once while Redis is unreachable (no offline queue, a command timeout), so a
 * limiter never waits on a dead Redis: it falls back or refuses as RATE_LIMIT_FAILURE_MODE says
 * (src/limits/limiter-store.ts). The client reconnects on its own; each change of state is
 * logged once, not on every failed command.
 */
import type { Redis } from 'ioredis';

import { withTimeout } from '../async/with-timeout.js';
import type { Logger } from '../observability/logger.js';

export interface RedisConnection {
  readonly client: Redis;
  /** A PING answered within `timeoutMs` (for /readyz). */
  ping(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  url: string;
  logger: Logger;
  /** What an outage means for callers, for the log line operators read when it happens. */
  whenDown: string;
  /** How long start-up waits for the first connection before serving without it. */
  connectTimeoutMs?: number;
}

export async function connectRedis(options: RedisConnectionOptions): Promise<RedisConnection> {
  const { logger } = options;
  // Loaded only with REDIS_URL: a server without Redis does not pay for the client.
  const { Redis } = await import('ioredis');
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    // The budgets of one call are taken at once: send their commands in one write.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    commandTimeout: 1_000,
    connectTimeout: options.connectTimeoutMs ?? 3_000,
    // Keep trying, at most every 2 s: the limiter falls back meanwhile.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });

  let up = false;
  let reported = false;
  let closing = false;
  client.on('ready', () => {
    if (!up) logger.info({ redis: redactUrl(options.url) }, 'Redis connected: rate limits are shared by every replica');
    up = true;
  });
  const down = (error?: Error) => {
    if (closing) return;
    if (up || !reported) logger.warn({ redis: redactUrl(options.url), err: error }, `Redis unreachable: ${options.whenDown}`);
    up = false;
    reported = true;
  };
  client.on('error', down);
  client.on('close', () => down());

  // Start-up waits for the first attempt: connected, refused, or timed out. Either way it then
  // serves (a Redis down at start is an outage like any other).
  await new Promise<void>((resolve) => {
    const settle = () => {
      clearTimeout(timer);
      client.off('ready', settle);
      client.off('error', settle);
      resolve();
    };
    const timer = setTimeout(settle, options.connectTimeoutMs ?? 3_000);
    client.once('ready', settle);
    client.once('error', settle);
  });

  return {
    client,
    async ping(timeoutMs) {
      if (client.status !== 'ready') return false;
      const answered = client.ping().then(
        (reply) => reply === 'PONG',
        () => false,
      );
      return withTimeout(answered, timeoutMs, false);
    },
    async close() {
      closing = true;
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** redis://user:secret@host:6379/0 -> redis://host:6379/0: a URL fit for a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return '(unparseable URL)';
  }
}
