/** An answer larger than its tool's maxResponseTokens is cut down to fit (../response-budget.ts). */
import type { NamedStage } from '../call-context.js';

export const responseBudget: NamedStage = {
  name: 'response-budget',
  build: ({ budget }) => async (call, next) => budget.fit(call.tool, call.input, await next()),
};
