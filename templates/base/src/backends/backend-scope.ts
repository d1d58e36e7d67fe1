/**
 * What a backend knows about the tool call it serves, besides the tenant: whether the tool may
 * change data, the call's abort signal and id, and where to report each backend call for the
 * audit record. The pipeline's handler stage builds one per call (pipeline/stages/handler.ts).
 */

/** One call from a tool handler to a backend, as the audit record lists it. */
export interface BackendCall {
  /** Which backend: `postgres`, `http`, … */
  backend: string;
  /** What kind of call: `read` / `write` (postgres), `GET` / `POST` … (http). */
  operation: string;
  outcome: 'ok' | 'error';
  /** The error code the tool saw (`not_found`, `unavailable`, …); absent when ok. */
  errorCode?: string;
  /** Time spent in the backend, retries included, in milliseconds. */
  latencyMs: number;
  /** How many attempts it took (backends that retry). */
  attempts?: number;
}

export interface BackendScope {
  /**
   * The calling tool's access. A `read` tool only gets read paths: a read-only transaction under
   * the read role (postgres), GET requests only (http). Writing from it is refused.
   */
  access: 'read' | 'write';
  /** Aborted when the client cancels or the server shuts down. */
  signal?: AbortSignal;
  /** The tool call's id, sent on as a correlation id where the backend supports one. */
  requestId?: string;
  /** Receives one entry per backend call (the pipeline puts them in the audit record). */
  onCall?: (call: BackendCall) => void;
}

/** What `forTenant(tenantId)` gives without a scope (tests, scripts): reads only. */
export const READ_ONLY_SCOPE: BackendScope = { access: 'read' };

/** Milliseconds since `started` (a performance.now() value), to two decimals. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
