/**
 * Outermost: once the call is answered (its audit record written), count it in the metrics,
 * end its trace span and log its outcome. Latency is the whole call's, audit write included.
 */
import { performance } from 'node:perf_hooks';

import type { NamedStage } from '../call-context.js';
import { responseSize } from '../response-budget.js';

export const observe: NamedStage = {
  name: 'observe',
  build: ({ metrics }) => async (call, next) => {
    const outcome = await next();
    const { bytes, tokens } = responseSize(outcome.result);
    metrics.callFinished(call.tool.name, outcome.outcome, call.principal?.tenantId, (performance.now() - call.startedAt) / 1000);
    metrics.responseMeasured(call.tool.name, bytes, tokens, outcome.truncated === true);
    call.span.end(outcome.outcome, outcome.errorCode);
    call.log.debug({ outcome: outcome.outcome, errorCode: outcome.errorCode }, 'tool call finished');
    return outcome;
  },
};
