/**
 * Calls running at once, per tenant (shared by the replicas) and per process. The slot is taken
 * before the approval gate, so a call refused for capacity keeps its approval.
 */
import { UNAVAILABLE_RETRY_SECONDS } from '../../limits/limiter-store.js';
import { caller, type NamedStage } from '../call-context.js';
import { seconds } from '../rate-limit.js';
import { errorResult } from '../results.js';

export const concurrency: NamedStage = {
  name: 'concurrency',
  build: ({ concurrency: limits, metrics }) => async (call, next) => {
    const tenant = caller(call).tenantId;
    const admitted = await limits.run(tenant, next);
    if (admitted.ok) return admitted.value;
    metrics.rateLimited(admitted.limit, call.target.name, tenant);
    if (admitted.limit === 'unavailable') {
      return errorResult('rate_limited', 'limiter_unavailable', `Concurrency limits are unavailable right now, so calls are paused. Retry in ${seconds(UNAVAILABLE_RETRY_SECONDS)}.`);
    }
    return admitted.limit === 'tenant_concurrency'
      ? errorResult('rate_limited', 'concurrency_limited', `Too many calls of this tenant are running at once. Retry in ${seconds(1)}.`)
      : errorResult('rate_limited', 'server_busy', `The server is at capacity. Retry in ${seconds(1)}.`);
  },
};
