/**
 * Cached answers in Redis (REDIS_URL): every replica reads, writes and invalidates the same
 * entries, so an answer cached by one is a hit on the others and a write on any drops it on all.
 *
 *   <prefix>:cache:<tenant>:<tool>:<hash>   the entry (JSON), expiring with its TTL
 *   <prefix>:cache-gen:<tenant>             the tenant's generation counters (a hash)
 *
 * A lookup is one round trip (the entry and the counters, pipelined). The counters outlive every
 * entry made before their last change (their expiry is renewed past the longest TTL on each
 * write), so a forgotten counter can never make a stale entry look fresh.
 *
 * While Redis is unreachable the cache is bypassed: every call runs its handler, nothing is
 * stored, and a write that cannot bump its counters is logged (entries from before the outage
 * live at most their TTL).
 */
import type { Redis } from 'ioredis';

import type { Logger } from '../observability/logger.js';
import { countersOfWrite, isFresh, type CachedAnswer, type Generations, type ResponseStore } from './response-store.js';

/** Counters live longer than the longest TTL a tool may set (a day). */
const GENERATIONS_TTL_SECONDS = 2 * 86_400;

export function redisResponseStore(client: Redis, keyPrefix: string, maxEntryBytes: number, logger: Logger): ResponseStore {
  const generationsKey = (tenant: string) => `${keyPrefix}:cache-gen:${encodeURIComponent(tenant)}`;
  const up = () => client.status === 'ready';

  return {
    kind: 'redis',
    async lookup(key, tenant) {
      if (!up()) return { hit: undefined, generations: undefined };
      try {
        const [text, counters] = await Promise.all([client.get(`${keyPrefix}:${key}`), client.hgetall(generationsKey(tenant))]);
        const now: Generations = Object.fromEntries(Object.entries(counters).map(([name, value]) => [name, Number(value)]));
        if (text) {
          const entry = JSON.parse(text) as CachedAnswer;
          if (entry.tenant === tenant && isFresh(entry, now)) return { hit: entry, generations: now };
        }
        return { hit: undefined, generations: now };
      } catch (error) {
        logger.warn({ err: error }, 'response cache lookup failed: the call runs uncached');
        return { hit: undefined, generations: undefined };
      }
    },
    async store(key, answer, ttlSeconds) {
      const text = JSON.stringify(answer);
      if (!up() || Buffer.byteLength(text) > maxEntryBytes) return;
      try {
        await client.set(`${keyPrefix}:${key}`, text, 'EX', ttlSeconds);
      } catch (error) {
        logger.warn({ err: error }, 'response cache store failed');
      }
    },
    async invalidate(tenant, backends) {
      const key = generationsKey(tenant);
      try {
        const multi = client.multi();
        for (const counter of countersOfWrite(backends)) multi.hincrby(key, counter, 1);
        multi.expire(key, GENERATIONS_TTL_SECONDS);
        await multi.exec();
      } catch (error) {
        logger.warn({ err: error, tenant }, 'response cache invalidation failed: cached answers of this tenant may be stale until their TTL ends');
      }
    },
  };
}
