/**
 * Shared state in Redis (REDIS_URL), under REDIS_KEY_PREFIX:
 *
 *   <prefix>:approval:<id>               hash: tenant, status, expires (ms), body (the approval as JSON)
 *   <prefix>:approvals:<tenant>          sorted set of the tenant's approval ids (score: kept until, ms)
 *   <prefix>:approvals-pending:<tenant>  sorted set of its pending ids (score: expiry, ms): the cap
 *   <prefix>:approvals-pending           every tenant's pending ids (score: expiry, ms): the gauges
 *   <prefix>:confirmation:<nonce>        a client confirmation already answered (expires with it)
 *   <prefix>:slots:<tenant>              sorted set of calls in flight (score: lease end, Redis clock)
 *
 * Every check-and-change is one Lua script, so it is atomic across replicas. Every key expires on
 * its own, so nothing needs sweeping. The scripts read keys they compute (one approval's hash
 * from the tenant's index): a single Redis or a primary with replicas, not Redis Cluster.
 * A Redis without persistence forgets approvals when it restarts: a caller retrying one then
 * gets `approval_not_found` and asks again (RUNBOOK.md).
 */
import type { Approval } from '../approvals/approval.js';
import type { RedisConnection } from '../limits/redis-connection.js';
import { orUnavailable, type ApprovalRecords, type OneUseMarkers, type SharedState } from './shared-state.js';
import { LeasedSlots, type SlotBackend } from './slot-leases.js';

const INSERT_APPROVAL = `
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[6])
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[5]) then return 0 end
redis.call('HSET', KEYS[1], 'tenant', ARGV[2], 'status', 'pending', 'expires', ARGV[3], 'body', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('PEXPIREAT', KEYS[3], ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[6])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[7], ARGV[1])
redis.call('PEXPIREAT', KEYS[2], ARGV[7])
return 1`;

const TRANSITION_APPROVAL = `
local stored = redis.call('HMGET', KEYS[1], 'tenant', 'status', 'expires')
if not stored[1] or stored[1] ~= ARGV[1] or stored[2] ~= ARGV[2] then return 0 end
if tonumber(stored[3]) <= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[3], 'body', ARGV[5])
redis.call('ZREM', KEYS[2], ARGV[6])
redis.call('ZREM', KEYS[3], ARGV[6])
return 1`;

const PENDING_SUMMARY = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return { redis.call('ZCARD', KEYS[1]), oldest[2] or false }`;

const LIST_APPROVALS = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local ids = redis.call('ZREVRANGE', KEYS[1], 0, 999)
local bodies = {}
for _, id in ipairs(ids) do
  local body = redis.call('HGET', ARGV[2] .. id, 'body')
  if body then table.insert(bodies, body) end
end
return bodies`;

// Lease ends are on Redis's clock, so replicas whose clocks differ still agree.
const TAKE_SLOT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const RENEW_SLOTS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

type Script = (...args: Array<string | number>) => Promise<unknown>;

export interface RedisStateOptions {
  keyPrefix: string;
  leaseMs: number;
  onError: (error: unknown) => void;
}

export function redisState(connection: RedisConnection, options: RedisStateOptions): SharedState {
  const redis = connection.client;
  const key = (...parts: string[]) => [options.keyPrefix, ...parts].join(':');
  // EVALSHA, loading the script again after a Redis restart emptied its script cache.
  const script = (name: string, keys: number, lua: string): Script => {
    redis.defineCommand(name, { numberOfKeys: keys, lua });
    const command = (redis as unknown as Record<string, Script>)[name]!;
    return (...args) => orUnavailable(() => command.apply(redis, args));
  };
  const insert = script('mcpApprovalInsert', 4, INSERT_APPROVAL);
  const transition = script('mcpApprovalTransition', 3, TRANSITION_APPROVAL);
  const pendingSummary = script('mcpApprovalPendingSummary', 1, PENDING_SUMMARY);
  const list = script('mcpApprovalList', 1, LIST_APPROVALS);
  const takeSlot = script('mcpSlotTake', 1, TAKE_SLOT);
  const renewSlots = script('mcpSlotRenew', 1, RENEW_SLOTS);

  const approvals: ApprovalRecords = {
    async insert(approval, maxPending, now, retainUntil) {
      const added = await insert(
        key('approval', approval.id),
        key('approvals', approval.tenantId),
        key('approvals-pending', approval.tenantId),
        key('approvals-pending'),
        approval.id,
        approval.tenantId,
        Date.parse(approval.expiresAt),
        JSON.stringify(approval),
        maxPending,
        now,
        retainUntil,
      );
      return added === 1;
    },
    async get(tenantId, id) {
      const [tenant, body] = await orUnavailable(() => redis.hmget(key('approval', id), 'tenant', 'body'));
      return tenant === tenantId && body ? (JSON.parse(body) as Approval) : undefined;
    },
    async list(tenantId) {
      const bodies = (await list(key('approvals', tenantId), Date.now(), key('approval', ''))) as string[];
      return bodies.map((body) => JSON.parse(body) as Approval);
    },
    async transition(next, from, now) {
      const changed = await transition(
        key('approval', next.id),
        key('approvals-pending', next.tenantId),
        key('approvals-pending'),
        next.tenantId,
        from,
        next.status,
        now,
        JSON.stringify(next),
        next.id,
      );
      return changed === 1;
    },
    async pendingSummary(now) {
      const [pending, oldest] = (await pendingSummary(key('approvals-pending'), now)) as [number, string | null];
      return { pending, oldestExpiresAt: oldest === null ? undefined : Number(oldest) };
    },
  };

  const confirmations: OneUseMarkers = {
    async claim(id, expiresAt) {
      const set = await orUnavailable(() => redis.set(key('confirmation', id), '1', 'PX', Math.max(1, expiresAt - Date.now()), 'NX'));
      return set === 'OK';
    },
  };

  const slotBackend: SlotBackend = {
    take: async (slot, limit, leaseMs) => (await takeSlot(key('slots', slot.tenantId), limit, leaseMs, slot.token)) === 1,
    async renew(slots, leaseMs) {
      const byTenant = new Map<string, string[]>();
      for (const slot of slots) byTenant.set(slot.tenantId, [...(byTenant.get(slot.tenantId) ?? []), slot.token]);
      await Promise.all([...byTenant].map(([tenantId, tokens]) => renewSlots(key('slots', tenantId), leaseMs, ...tokens)));
    },
    free: async (slot) => {
      await orUnavailable(() => redis.zrem(key('slots', slot.tenantId), slot.token));
    },
  };
  const slots = new LeasedSlots(slotBackend, options.leaseMs, options.onError);

  return {
    kind: 'redis',
    approvals,
    confirmations,
    slots,
    ping: (timeoutMs) => connection.ping(timeoutMs),
    // The connection is shared with the rate limits and closed by app.ts.
    close: async () => slots.close(),
  };
}
