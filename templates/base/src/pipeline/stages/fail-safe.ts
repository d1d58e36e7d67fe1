/**
 * A stage that throws (the rate limiter's store, say) fails the call closed: a generic error
 * with a reference to the log line, never details, and the call is still audited.
 */
import type { NamedStage } from '../call-context.js';
import { errorResult } from '../results.js';

export const failSafe: NamedStage = {
  name: 'fail-safe',
  build: () => async (call, next) => {
    try {
      return await next();
    } catch (error) {
      call.log.error({ err: error }, 'tool pipeline failed');
      return errorResult('error', 'internal_error', `${call.target.name} failed unexpectedly. Reference: ${call.requestId}.`);
    }
  },
};
