/**
 * Where cached tool answers live (pipeline/response-cache.ts): in this process, bounded (LRU),
 * or in Redis with REDIS_URL, so every replica serves and drops the same entries.
 *
 * Invalidation is by generation counters per tenant, not by finding entries: a write bumps
 * counters, and an entry made under older counters is stale. The counters an entry is checked
 * against depend on the backends its answer came from (its `tags`, from the backend calls the
 * handler made):
 *
 *   <backend>   bumped by every write of the tenant that called that backend
 *   *unknown    bumped by a write that reported no backend call (it may have changed anything)
 *   *any        bumped by every write of the tenant
 *
 * An entry with tags is stale when `*unknown` or one of its backends' counters moved; an entry
 * without tags (its handler reported no backend call) when `*any` moved. The counters are read
 * before the handler runs and stored with the entry, so a write that lands while the answer is
 * being computed makes that answer stale on arrival rather than cached as fresh.
 */
import type { PipelineResult } from '../pipeline/results.js';

export const ANY_WRITE = '*any';
export const UNKNOWN_WRITE = '*unknown';

/** A tenant's counters at one moment. */
export type Generations = Readonly<Record<string, number>>;

export interface CachedAnswer {
  tenant: string;
  result: PipelineResult['result'];
  /** The answer was cut down to its tool's response budget (its audit records say so on every hit too). */
  truncated?: boolean;
  /** The backends the answer came from; empty when the handler reported none. */
  tags: readonly string[];
  /** The tenant's counters when the answer's call began. */
  generations: Generations;
}

export interface Lookup {
  /** The entry, when there is a fresh one. */
  hit: CachedAnswer | undefined;
  /** The tenant's counters now: what a new entry for this call is stored with; undefined: do not store (store unavailable). */
  generations: Generations | undefined;
}

export interface ResponseStore {
  readonly kind: 'memory' | 'redis';
  lookup(key: string, tenant: string): Promise<Lookup>;
  /** Stores unless larger than the store's per-entry limit; never throws. */
  store(key: string, answer: CachedAnswer, ttlSeconds: number): Promise<void>;
  /** Makes the tenant's entries of these backends stale (`undefined`: the write reported no backend: all of them). */
  invalidate(tenant: string, backends: readonly string[] | undefined): Promise<void>;
}

/** The counters a write bumps. */
export function countersOfWrite(backends: readonly string[] | undefined): string[] {
  return backends && backends.length > 0 ? [ANY_WRITE, ...new Set(backends)] : [ANY_WRITE, UNKNOWN_WRITE];
}

/** Whether `entry` is still fresh under the tenant's counters `now`. */
export function isFresh(entry: CachedAnswer, now: Generations): boolean {
  const counters = entry.tags.length > 0 ? [UNKNOWN_WRITE, ...entry.tags] : [ANY_WRITE];
  return counters.every((counter) => (now[counter] ?? 0) === (entry.generations[counter] ?? 0));
}
