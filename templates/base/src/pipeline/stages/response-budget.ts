/** A tool's answer larger than its maxResponseTokens is cut down to fit (../response-budget.ts). */
import type { NamedStage } from '../call-context.js';

export const responseBudget: NamedStage = {
  name: 'response-budget',
  build: ({ budget }) => async (call, next) => (call.kind === 'tool' ? budget.fit(call.target, call.input, await next()) : next()),
};
