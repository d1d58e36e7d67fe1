/**
 * Picks the shared state store (src/shared-state/shared-state.ts): Redis when REDIS_URL is set,
 * else a backend every replica reaches (postgres on DATABASE_URL), else this process's memory,
 * and says at start-up what that means for running several replicas.
 */
import type { Backends } from '../backends/index.js';
import type { Config } from '../config.js';
import type { RedisConnection } from '../limits/redis-connection.js';
import type { Logger } from '../observability/logger.js';
import type { AnyTool } from '../tool-model/define-tool.js';
import { memoryState } from './memory-state.js';
import { redisState } from './redis-state.js';
import type { SharedState, SharedStateOptions } from './shared-state.js';

export interface SharedStateSources {
  config: Config;
  redis: RedisConnection | undefined;
  backends: Backends;
  tools: readonly AnyTool[];
  logger: Logger;
}

export function openSharedState({ config, redis, backends, tools, logger }: SharedStateSources): SharedState {
  let failures = 0;
  const options: SharedStateOptions = {
    leaseMs: config.concurrency.leaseSeconds * 1000,
    // Renewals run every few seconds: log the first failure of a run of them, not each one.
    onError: (error) => {
      if (failures++ === 0) logger.warn({ err: error }, 'shared state store: a slot renewal or release failed (the slot frees itself when its lease ends)');
    },
  };
  const state = (redis && config.redis ? redisState(redis, { ...options, keyPrefix: config.redis.keyPrefix }) : backends.sharedState(options)) ?? memoryState();
  const transport: string = config.transport; // widened: a one-transport repo types it as a single literal
  // A stdio-only repo has no HTTP settings at all.
  const host = (config as { http?: { host: string } }).http?.host;
  const listensBeyondLoopback = transport !== 'stdio' && host !== undefined && !isLoopback(host);

  if (state.kind === 'memory' && listensBeyondLoopback) {
    logger.warn(
      { sharedState: 'memory', host },
      'Shared state is in this process only: pending approvals, client confirmations, concurrency caps and rate limits ' +
        'are not shared with other replicas. Set REDIS_URL before running more than one replica.',
    );
  } else {
    logger.info({ sharedState: state.kind }, `shared state (approvals, confirmations, concurrency caps) in ${state.kind}`);
  }
  if (state.kind !== 'memory' && listensBeyondLoopback && !config.redis) {
    logger.warn({ sharedState: state.kind }, 'Rate limits are counted per replica: set REDIS_URL to share them.');
  }
  if (listensBeyondLoopback && !config.approvals.stateKey && tools.some((tool) => tool.approval === 'client')) {
    logger.warn('MCP_APPROVAL_STATE_KEY is not set: a confirmation asked by one replica is refused by the others. Set the same key on every replica.');
  }
  return state;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}
