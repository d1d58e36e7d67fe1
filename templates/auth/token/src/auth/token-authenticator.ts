/**
 * The Authenticator of auth `jwt` and `oauth`: a bearer token, checked by a TokenVerifier, is the
 * whole identity. HTTP: `Authorization: Bearer <token>` on every request. stdio: MCP_ACCESS_TOKEN
 * (or MCP_ACCESS_TOKEN_FILE), checked once at start-up; the process stops calling tools when it
 * expires.
 *
 * The token itself never leaves this module: not in the Principal, not in logs, not on to a
 * backend (the principal's AuthInfo carries the client id in place of the token).
 */
import type { IncomingMessage } from 'node:http';

import type { Logger } from '../observability/logger.js';
import { createSampledLog } from '../observability/sampled-log.js';
import { StartupError } from '../startup-error.js';
import { bearerCredential, type Authenticator, type HttpAuthResult, type ProtectedResource } from './authenticator.js';
import type { TokenCheck, TokenVerifier } from './token-verifier.js';

export interface TokenAuthenticatorOptions {
  verifier: TokenVerifier;
  logger: Logger;
  /** stdio: MCP_ACCESS_TOKEN. */
  accessToken: string | undefined;
  protectedResource?: ProtectedResource | undefined;
}

export function createTokenAuthenticator({ verifier, logger, accessToken, protectedResource }: TokenAuthenticatorOptions): Authenticator {
  // Sampled: a flood of bad tokens must not flood the logs (mcp_auth_failures_total counts each).
  const logRefusal = createSampledLog(logger, 'info');
  return {
    protectedResource,

    async stdioPrincipal() {
      if (!accessToken) {
        throw new StartupError('MCP_ACCESS_TOKEN (or MCP_ACCESS_TOKEN_FILE) is required over stdio: the token decides which tenant this process serves.');
      }
      const checked = await verifier.verify(accessToken);
      if (!checked.ok) throw new StartupError(`MCP_ACCESS_TOKEN is not usable: ${describe(checked)}.`);
      return checked.principal;
    },

    async authenticateHttp(req: IncomingMessage): Promise<HttpAuthResult> {
      const bearer = bearerCredential(req);
      if (!bearer.ok) return bearer;
      const checked = await verifier.verify(bearer.credential);
      if (checked.ok) return { ok: true, principal: checked.principal };
      logRefusal(`${checked.reason} ${checked.claim ?? ''}`, { reason: checked.reason, claim: checked.claim }, 'token refused');
      if (checked.reason === 'verifier_unavailable') {
        return { ok: false, unavailable: true, message: 'The token cannot be checked right now. Retry shortly.' };
      }
      return { ok: false, error: 'invalid_token', message: `Invalid token: ${describe(checked)}.` };
    },

    reload: () => verifier.reload(),
    close: () => {},
  };
}

function describe(check: Extract<TokenCheck, { ok: false }>): string {
  const reason = check.reason.replace(/_/g, ' ');
  return check.claim ? `${reason} (${check.claim})` : reason;
}
