/** Per-minute budgets per tenant and per tenant and tool (over HTTP the transport took them already: ../rate-limit.ts). */
import { caller, type NamedStage } from '../call-context.js';

export const rateLimit: NamedStage = {
  name: 'rate-limit',
  build: ({ rateLimits }) => async (call, next) => (await rateLimits.check(call.target, caller(call), call.request.budgets, call.request.routedFrom !== undefined)) ?? next(),
};
