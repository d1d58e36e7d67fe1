/**
 * Where rate-limit counters live: in this process (the default), or in Redis when REDIS_URL is
 * set, so that every replica draws from one budget and a limit of L means L calls in total.
 *
 * Every budget is "so many per minute" (a fixed one-minute window per key). The budgets of one
 * request are taken together, in groups: a group is taken whole or not at all, and only when
 * every group before it was taken. With Redis that is one Lua script, so a tool call over HTTP
 * (its request budget, then its tenant, tool and client budgets) costs one round trip, and the
 * counts stay exact however many replicas take at once.
 *
 * If Redis becomes unreachable, RATE_LIMIT_FAILURE_MODE decides:
 *   open    each replica falls back to its own in-memory counters with the same limits (with N
 *           replicas a tenant may get up to N times its limit until Redis is back);
 *   closed  limited calls are refused as unavailable until Redis is back.
 * Either way the next call after Redis is back uses it again: no restart needed.
 */
import { setImmediate as laterTurn } from 'node:timers/promises';

import type { RedisConnection } from './redis-connection.js';

export type FailureMode = 'open' | 'closed';

/** One minute: every budget is "so many per minute". */
const WINDOW_MS = 60_000;

/** One point of `key`'s budget named `name`, which allows `points` per minute. */
export interface Budget {
  name: string;
  key: string;
  points: number;
}

export type Taken =
  | { ok: true }
  /** The budget is spent: how long until a point is free again; `over[i]`: whether budget i was spent. */
  | { ok: false; retryAfterSeconds: number; over: boolean[]; unavailable?: undefined }
  /** The store could not be asked (Redis down, fail closed), or an earlier group was refused. */
  | { ok: false; unavailable: true; retryAfterSeconds: number };

/** Seconds a caller is told to wait when the limiter itself is unavailable. */
export const UNAVAILABLE_RETRY_SECONDS = 5;

export interface LimiterStore {
  /** `redis` when counters are shared by every replica. */
  readonly kind: 'memory' | 'redis';
  /** Takes one point from each budget of each group, as described above; one Taken per group. */
  take(groups: ReadonlyArray<readonly Budget[]>): Promise<Taken[]>;
}

/** Takes one point from `budget` alone. */
export async function takeOne(store: LimiterStore, budget: Budget): Promise<Taken> {
  return (await store.take([[budget]]))[0]!;
}

/** The result for groups never tried because an earlier one was refused (not sent to anyone). */
const NOT_TRIED: Taken = { ok: false, unavailable: true, retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS };

export function memoryStore(now: () => number = Date.now): LimiterStore {
  const windows = new Map<string, { used: number; resetAt: number }>();
  let nextSweep = now() + WINDOW_MS;
  return {
    kind: 'memory',
    async take(groups) {
      // On a later turn of the event loop, as Redis answers: see MemorySlots.acquire (shared-state/memory-state.ts).
      await laterTurn();
      const time = now();
      if (time >= nextSweep) {
        // Memory stays bounded: windows that ended are dropped once a minute.
        for (const [key, window] of windows) if (window.resetAt <= time) windows.delete(key);
        nextSweep = time + WINDOW_MS;
      }
      const results: Taken[] = [];
      for (const group of groups) {
        if (results.some((taken) => !taken.ok)) {
          results.push(NOT_TRIED);
          continue;
        }
        const current = group.map((budget) => {
          const key = `${budget.name}:${budget.key}`;
          const window = windows.get(key);
          return { key, window: window && window.resetAt > time ? window : undefined };
        });
        const over = group.map((budget, i) => (current[i]!.window?.used ?? 0) >= budget.points);
        if (over.some(Boolean)) {
          const waitMs = Math.max(...current.filter((_, i) => over[i]).map(({ window }) => window!.resetAt - time));
          results.push({ ok: false, over, retryAfterSeconds: toSeconds(waitMs) });
          continue;
        }
        for (const { key, window } of current) {
          if (window) window.used += 1;
          else windows.set(key, { used: 1, resetAt: time + WINDOW_MS });
        }
        results.push({ ok: true });
      }
      return results;
    },
  };
}

/**
 * KEYS: every budget's counter, group after group. ARGV: window (ms), group count, then per group
 * its size and each budget's points. Returns per budget -1 (taken or had room), -2 (group not
 * tried) or the ms until the spent budget's window resets.
 */
const TAKE_BUDGETS = `
local window = tonumber(ARGV[1])
local k, a = 1, 3
local refused = false
local result = {}
for g = 1, tonumber(ARGV[2]) do
  local size = tonumber(ARGV[a])
  a = a + 1
  if refused then
    for i = 1, size do table.insert(result, -2) end
  else
    local over = {}
    for i = 0, size - 1 do
      local used = tonumber(redis.call('GET', KEYS[k + i]) or '0')
      if used >= tonumber(ARGV[a + i]) then
        refused = true
        local ttl = redis.call('PTTL', KEYS[k + i])
        over[i + 1] = ttl > 0 and ttl or window
      else
        over[i + 1] = -1
      end
    end
    if not refused then
      for i = 0, size - 1 do
        if redis.call('INCR', KEYS[k + i]) == 1 then redis.call('PEXPIRE', KEYS[k + i], window) end
      end
    end
    for i = 1, size do table.insert(result, over[i]) end
  end
  k = k + size
  a = a + size
end
return result`;

export function redisStore(redis: RedisConnection, keyPrefix: string, failureMode: FailureMode): LimiterStore {
  const client = redis.client;
  // No numberOfKeys: the key count goes first in each call, so one script serves any number of budgets.
  client.defineCommand('mcpTakeBudgets', { lua: TAKE_BUDGETS });
  // EVALSHA, loading the script again after a Redis restart emptied its script cache.
  const takeBudgets = (client as unknown as Record<string, (...args: Array<string | number>) => Promise<number[]>>)['mcpTakeBudgets']!.bind(client);
  const fallback = failureMode === 'open' ? memoryStore() : undefined;
  return {
    kind: 'redis',
    async take(groups) {
      const keys = groups.flat().map((budget) => `${keyPrefix}:${budget.name}:${budget.key}`);
      const args = [WINDOW_MS, groups.length, ...groups.flatMap((group) => [group.length, ...group.map((budget) => budget.points)])];
      let replies: number[];
      try {
        replies = await takeBudgets(keys.length, ...keys, ...args);
      } catch {
        // Not connected (no offline queue) or timed out: fall back, or refuse.
        if (fallback) return fallback.take(groups);
        return groups.map(() => ({ ok: false, unavailable: true, retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS }) as const);
      }
      let at = 0;
      return groups.map((group): Taken => {
        const own = replies.slice(at, (at += group.length));
        if (own.some((reply) => reply === -2)) return NOT_TRIED;
        if (own.every((reply) => reply === -1)) return { ok: true };
        return { ok: false, over: own.map((reply) => reply >= 0), retryAfterSeconds: toSeconds(Math.max(...own)) };
      });
    },
  };
}

function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
