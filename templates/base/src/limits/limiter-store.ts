/**
 * Where rate-limit counters live: in this process (the default), or in Redis when REDIS_URL is
 * set, so that every replica draws from one budget and a limit of L means L calls in total.
 *
 * If Redis becomes unreachable, RATE_LIMIT_FAILURE_MODE decides:
 *   open    each replica falls back to its own in-memory counters with the same limits (with N
 *           replicas a tenant may get up to N times its limit until Redis is back);
 *   closed  limited calls are refused as unavailable until Redis is back.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

import type { RedisConnection } from './redis-connection.js';

export type FailureMode = 'open' | 'closed';

/** One minute: every budget is "so many per minute". */
const WINDOW_SECONDS = 60;

export interface LimiterStore {
  /** `redis` when counters are shared by every replica. */
  readonly kind: 'memory' | 'redis';
  /** A per-minute budget of `points` for each key, under `name`. */
  limiter(name: string, points: number): RateLimiterAbstract;
}

export function memoryStore(): LimiterStore {
  return {
    kind: 'memory',
    limiter: (name, points) => new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: name }),
  };
}

export function redisStore(redis: RedisConnection, keyPrefix: string, failureMode: FailureMode): LimiterStore {
  return {
    kind: 'redis',
    limiter: (name, points) =>
      new RateLimiterRedis({
        storeClient: redis.client,
        points,
        duration: WINDOW_SECONDS,
        keyPrefix: `${keyPrefix}:${name}`,
        // Not connected: go straight to the fallback (or refuse) instead of queueing the command.
        rejectIfRedisNotReady: true,
        ...(failureMode === 'open'
          ? { insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: `fallback:${name}` }) }
          : {}),
      }),
  };
}

export type Taken =
  | { ok: true }
  /** The budget is spent: how long until a point is free again. */
  | { ok: false; retryAfterSeconds: number; unavailable?: undefined }
  /** The store could not be asked (Redis down, fail closed). */
  | { ok: false; unavailable: true; retryAfterSeconds: number };

/** Seconds a caller is told to wait when the limiter itself is unavailable. */
export const UNAVAILABLE_RETRY_SECONDS = 5;

/** Takes one point from `key`'s budget. */
export async function take(limiter: RateLimiterAbstract, key: string): Promise<Taken> {
  try {
    await limiter.consume(key);
    return { ok: true };
  } catch (rejection) {
    // A RateLimiterRes when the budget is spent; an Error when the store failed (no fallback).
    if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    return { ok: false, unavailable: true, retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS };
  }
}
