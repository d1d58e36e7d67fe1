/**
 * One audit record for every call, whatever its outcome (denied, invalid and rate-limited calls
 * too), written before the result is returned: no call is answered without its record. With
 * AUDIT_FAILURE_MODE=closed a record that cannot be written withholds the result.
 * Records are built by src/audit/audit-record.ts and written by the sink of ../audit.ts.
 */
import { performance } from 'node:perf_hooks';

import { auditRecord } from '../../audit/audit-record.js';
import type { NamedStage } from '../call-context.js';
import { responseSize } from '../response-budget.js';
import { errorResult } from '../results.js';

export const audit: NamedStage = {
  name: 'audit',
  build: ({ audit: log }) => async (call, next) => {
    const outcome = await next();
    const { target, principal, requestId } = call;
    const { bytes, tokens } = responseSize(outcome.result);
    const recorded = await log.write(
      auditRecord(principal, {
        requestId,
        traceId: call.span.traceId,
        ...(call.kind === 'tool' ? {} : { kind: call.kind }),
        tool: target.name,
        toolVersion: target.version,
        ...(call.kind === 'resource' ? { uri: call.uri } : {}),
        arguments: call.args,
        outcome: outcome.outcome,
        errorCode: outcome.errorCode,
        approval: outcome.approval ?? null,
        latencyMs: Math.round((performance.now() - call.startedAt) * 100) / 100,
        responseBytes: bytes,
        responseTokens: tokens,
        backendCalls: call.backendCalls,
        ...(outcome.truncated ? { truncated: true as const } : {}),
        ...(outcome.cache ? { cache: outcome.cache } : {}),
        ...(target.deprecated ? { deprecated: true as const } : {}),
      }),
    );
    if (recorded || !log.failClosed || outcome.errorCode === 'audit_unavailable') return outcome;
    call.log.error({ outcome: outcome.outcome }, `${call.kind} result withheld: its audit record could not be written`);
    return errorResult('error', 'audit_unavailable', `${target.name} could not be recorded in the audit trail, so its result is withheld (it may have run). Retry later. Reference: ${requestId}.`);
  },
};
