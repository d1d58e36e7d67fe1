/**
 * A tool call's rate-limit budgets, taken by the HTTP transport in the same round trip as the
 * request budget (one Redis script per call instead of two), handed to the pipeline with the
 * request's AuthInfo so it does not take them again. Only the transport sets it: a client cannot.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';

import type { Taken } from './limiter-store.js';

const FIELD = 'callBudgets';

interface CallBudgets {
  tool: string;
  taken: Taken;
}

/** `authInfo` carrying the answer for `tool`'s budgets. */
export function withCallBudgets(authInfo: AuthInfo, tool: string, taken: Taken): AuthInfo {
  const budgets: CallBudgets = { tool, taken };
  return { ...authInfo, extra: { ...authInfo.extra, [FIELD]: budgets } };
}

/** The answer taken for this tool on this request, if the transport took it. */
export function callBudgetsOf(authInfo: AuthInfo | undefined, tool: string): Taken | undefined {
  const budgets = authInfo?.extra?.[FIELD] as CallBudgets | undefined;
  return budgets?.tool === tool ? budgets.taken : undefined;
}
