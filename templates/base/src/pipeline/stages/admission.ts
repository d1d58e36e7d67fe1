/** No new call once shutdown began; none while the audit trail cannot be written (AUDIT_FAILURE_MODE=closed). */
import type { NamedStage } from '../call-context.js';
import { errorResult } from '../results.js';

export const admission: NamedStage = {
  name: 'admission',
  build: ({ lifecycle, audit }) => async (_call, next) => {
    if (!lifecycle.accepting) return errorResult('error', 'unavailable', 'The server is shutting down. Retry shortly.');
    if (audit.failClosed && !audit.healthy()) {
      return errorResult('error', 'audit_unavailable', 'The audit trail cannot be written right now, so no call can run. Retry later.');
    }
    return next();
  },
};
