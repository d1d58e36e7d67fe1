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
    const seconds = (performance.now() - call.startedAt) / 1000;
    if (call.kind === 'tool') {
      metrics.callFinished(call.target.name, outcome.outcome, call.principal?.tenantId, seconds);
      metrics.responseMeasured(call.target.name, bytes, tokens, outcome.truncated === true);
    } else {
      metrics.readFinished(call.kind, call.target.name, outcome.outcome, call.principal?.tenantId, seconds);
    }
    call.span.end(outcome.outcome, outcome.errorCode);
    call.log.debug({ outcome: outcome.outcome, errorCode: outcome.errorCode }, `${call.kind} ${VERB[call.kind]} finished`);
    return outcome;
  },
};

const VERB = { tool: 'call', resource: 'read', prompt: 'get', completion: 'request' } as const;
