/**
 * Read tools with `cache`: a fresh answer for the tenant and arguments answers here (still
 * audited); otherwise the answer is stored as the model reads it (redacted and fitted to its
 * budget, the stages after this one). A write drops the tenant's cached answers of the backends
 * it called (../response-cache.ts).
 */
import { caller, type NamedStage } from '../call-context.js';

export const responseCache: NamedStage = {
  name: 'response-cache',
  build: ({ cache }) => async (call, next) => {
    if (call.kind !== 'tool') return next();
    const principal = caller(call);
    if (cache.caches(call.target)) {
      const lookup = await cache.lookup(call.target, principal, call.input);
      if (lookup.hit) return lookup.hit;
      const outcome = await next();
      await cache.remember(call.target, principal, lookup, outcome, call.backendCalls);
      return { ...outcome, cache: 'miss' };
    }
    const outcome = await next();
    return (await cache.afterWrite(call.target, principal, outcome, call.backendCalls)) ? { ...outcome, cache: 'invalidated' } : outcome;
  },
};
