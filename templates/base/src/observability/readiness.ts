/**
 * Readiness: can this process serve tool calls right now? /readyz answers it (a load balancer
 * stops routing on 503) and the health gauges of /metrics report the same checks.
 *
 * Every check runs in parallel under READINESS_TIMEOUT_MS (each backend's own check too): a
 * backend that hangs counts as down instead of hanging the probe. Checked:
 *   - every backend (its own readiness check);
 *   - redis, when REDIS_URL is set. Down with RATE_LIMIT_FAILURE_MODE=open it does not make the
 *     server unready (calls go on, limited per process): the report lists it as `degraded`;
 *   - the audit sink: a sink that cannot write is a readiness failure;
 *   - the shared state store (approvals, confirmations, concurrency slots): reported by kind
 *     (`stateStore`); in PostgreSQL it is checked as `state`, in Redis it is the `redis` check.
 */
import { withTimeout } from '../async/with-timeout.js';
import type { Backends } from '../backends/index.js';
import type { FailureMode } from '../limits/limiter-store.js';
import type { RedisConnection } from '../limits/redis-connection.js';
import type { AuditLog } from '../pipeline/audit.js';
import type { SharedState } from '../shared-state/shared-state.js';
import type { ReadinessReport } from './readiness-report.js';

export interface ReadinessSources {
  backends: Pick<Backends, 'readiness'>;
  audit: Pick<AuditLog, 'healthy'>;
  redis?: { connection: RedisConnection; failureMode: FailureMode } | undefined;
  sharedState: Pick<SharedState, 'kind' | 'ping'>;
  timeoutMs: number;
}

export function createReadiness(sources: ReadinessSources): () => Promise<ReadinessReport> {
  const { timeoutMs } = sources;
  return async () => {
    const { sharedState } = sources;
    const [backendChecks, redisUp, stateUp] = await Promise.all([
      withTimeout(sources.backends.readiness().then((result) => result.checks), timeoutMs).catch(() => undefined),
      sources.redis ? sources.redis.connection.ping(timeoutMs) : Promise.resolve(undefined),
      sharedState.kind === 'postgres' ? sharedState.ping(timeoutMs) : Promise.resolve(undefined),
    ]);
    // A backend check that throws or times out: every backend is reported down under one name.
    const backends = backendChecks ?? { backends: false };
    const dependencies: Record<string, boolean> = { audit: sources.audit.healthy() };
    if (redisUp !== undefined) dependencies['redis'] = redisUp;
    if (stateUp !== undefined) dependencies['state'] = stateUp;

    const degraded = sources.redis?.failureMode === 'open' && redisUp === false ? ['redis'] : [];
    const failing = [
      ...Object.entries(backends).filter(([, up]) => !up),
      ...Object.entries(dependencies).filter(([name, up]) => !up && !degraded.includes(name)),
    ];
    return { ready: failing.length === 0, backends, dependencies, degraded, stateStore: sharedState.kind };
  };
}
