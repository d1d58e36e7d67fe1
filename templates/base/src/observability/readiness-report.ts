/**
 * What a readiness check found (/readyz, and the health gauges of /metrics). A module of its own
 * so that metrics can read a report without importing what readiness checks (the audit sink
 * among them, which itself records metrics).
 */
import type { SharedStateKind } from '../shared-state/shared-state.js';

export interface ReadinessReport {
  ready: boolean;
  /** Each backend: passing (true) or not. */
  backends: Record<string, boolean>;
  /** `redis` (with REDIS_URL) and `audit`. */
  dependencies: Record<string, boolean>;
  /** Failing checks the server serves without (today: redis, failing open). */
  degraded: string[];
  /** Where state every replica must share lives: `memory` means this replica alone. */
  stateStore: SharedStateKind;
}
