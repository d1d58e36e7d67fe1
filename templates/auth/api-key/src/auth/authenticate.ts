/**
 * Auth `api-key`: each caller presents a key created with `npm run keys -- create`; the key
 * decides the tenant, the subject and the scopes.
 *
 * HTTP: `Authorization: Bearer <key>` on every request, checked before the SDK sees it; a missing
 * or bad key gets 401 with WWW-Authenticate. stdio: MCP_API_KEY (or MCP_API_KEY_FILE) is checked
 * once at start-up and the process acts as that key's principal.
 */
import type { IncomingMessage } from 'node:http';

import type { Config } from '../config.js';
import { createSampledLog } from '../observability/sampled-log.js';
import { StartupError } from '../startup-error.js';
import { ApiKeyVerifier } from './api-keys.js';
import { bearerCredential, type Authenticator, type AuthenticatorDeps, type HttpAuthResult } from './authenticator.js';

export type { Authenticator } from './authenticator.js';

export function createAuthenticator(config: Config, { logger }: AuthenticatorDeps): Authenticator {
  let verifier: ApiKeyVerifier;
  try {
    verifier = new ApiKeyVerifier(config.auth.keysFile, logger);
  } catch (error) {
    throw new StartupError(`Cannot load API keys from MCP_API_KEYS_FILE=${config.auth.keysFile}: ${(error as Error).message}`);
  }
  // Sampled: a flood of bad keys must not flood the logs (mcp_auth_failures_total counts each).
  // A revoked or expired key is its own kind (keys in the file are few); unknown ones are one kind.
  const logRefusal = createSampledLog(logger, 'info');

  return {
    async stdioPrincipal() {
      const key = config.auth.apiKey;
      if (!key) {
        throw new StartupError('MCP_API_KEY (or MCP_API_KEY_FILE) is required over stdio: the key decides which tenant this process serves.');
      }
      const checked = verifier.check(key);
      if (!checked.ok) throw new StartupError(`MCP_API_KEY is not usable: the key is ${checked.reason}.`);
      return checked.principal;
    },

    async authenticateHttp(req: IncomingMessage): Promise<HttpAuthResult> {
      const bearer = bearerCredential(req);
      if (!bearer.ok) return bearer;
      const checked = verifier.check(bearer.credential);
      if (!checked.ok) {
        // The prefix identifies a key without revealing it, but only a well-formed key has one:
        // whatever else was sent (a pasted password, a token) is never logged, not even in part.
        const kind = checked.reason === 'revoked' || checked.reason === 'expired' ? `${checked.reason} ${checked.prefix ?? ''}` : checked.reason;
        logRefusal(kind, { reason: checked.reason, keyPrefix: checked.prefix ?? null }, 'API key refused');
        return { ok: false, error: 'invalid_token', message: `Invalid API key (${checked.reason}).` };
      }
      return { ok: true, principal: checked.principal };
    },

    reload() {
      verifier.reload(false);
    },

    close() {},
  };
}
