/** What a handler gets besides its (already validated) input. */
import type { Principal } from '../auth/principal.js';
import type { TenantBackends } from '../backends/index.js';
import type { Logger } from '../observability/logger.js';

export interface ToolContext {
  /** Who is calling. */
  principal: Principal;
  /** The caller's tenant: `principal.tenantId`, repeated because almost every handler needs it. */
  tenant: string;
  /** Every backend, already scoped to `tenant`: a handler cannot name another tenant. */
  backends: TenantBackends;
  /** A logger bound to this call (request id, tool, tenant). Writes to stderr. */
  log: Logger;
  /** Aborted when the client cancels or the server shuts down: pass it to slow I/O. */
  signal: AbortSignal;
  /** This call's id, as written in its audit record. */
  requestId: string;
}
