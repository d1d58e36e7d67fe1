/**
 * Cached answers in this process: an LRU bounded by entries and by bytes (lru-cache), each entry
 * with its own TTL. Without REDIS_URL every replica has its own, and a write drops only the
 * entries of the replica that served it (the RUNBOOK says so; set REDIS_URL to share them).
 */
import { LRUCache } from 'lru-cache';

import { countersOfWrite, isFresh, type CachedAnswer, type Generations, type Lookup, type ResponseStore } from './response-store.js';

export interface MemoryStoreLimits {
  maxEntries: number;
  /** The sum of the entries' sizes (their JSON) may not exceed this: the least recently used go first. */
  maxBytes: number;
  /** A larger answer is not cached. */
  maxEntryBytes: number;
}

interface Entry {
  answer: CachedAnswer;
  bytes: number;
}

export function memoryResponseStore(limits: MemoryStoreLimits): ResponseStore {
  const entries = new LRUCache<string, Entry>({
    max: limits.maxEntries,
    maxSize: limits.maxBytes,
    sizeCalculation: (entry) => entry.bytes,
  });
  // Counters per tenant (a handful of numbers each): kept for the life of the process, so an
  // entry can never become fresh again by its counters being forgotten.
  const generations = new Map<string, Record<string, number>>();
  const countersOf = (tenant: string): Generations => generations.get(tenant) ?? {};

  return {
    kind: 'memory',
    async lookup(key, tenant) {
      const now = countersOf(tenant);
      const entry = entries.get(key);
      if (entry && entry.answer.tenant === tenant && isFresh(entry.answer, now)) return { hit: entry.answer, generations: { ...now } };
      if (entry) entries.delete(key); // stale
      return { hit: undefined, generations: { ...now } } satisfies Lookup;
    },
    async store(key, answer, ttlSeconds) {
      const bytes = Buffer.byteLength(JSON.stringify(answer.result));
      if (bytes > limits.maxEntryBytes) return;
      entries.set(key, { answer, bytes }, { ttl: ttlSeconds * 1000 });
    },
    async invalidate(tenant, backends) {
      const counters = { ...countersOf(tenant) };
      for (const counter of countersOfWrite(backends)) counters[counter] = (counters[counter] ?? 0) + 1;
      generations.set(tenant, counters);
    },
  };
}
