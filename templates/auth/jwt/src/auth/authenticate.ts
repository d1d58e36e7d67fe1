/**
 * Auth `jwt`: callers present a JWT from your identity provider. Its signature (JWKS or public
 * key), issuer, audience and lifetime are checked; its tenant claim decides the tenant, `sub` the
 * subject, `scope` / `scp` the scopes. Settings: MCP_TOKEN_* (see .env.example).
 */
import type { Config } from '../config.js';
import { StartupError } from '../startup-error.js';
import type { Authenticator, AuthenticatorDeps } from './authenticator.js';
import { createTokenAuthenticator } from './token-authenticator.js';
import { createJwtVerifier, type TokenVerifier } from './token-verifier.js';

export type { Authenticator } from './authenticator.js';

export function createAuthenticator(config: Config, { logger }: AuthenticatorDeps): Authenticator {
  const { token, accessToken } = config.auth;
  let verifier: TokenVerifier;
  try {
    verifier = createJwtVerifier({ ...token, verification: token.verification }, logger);
  } catch (error) {
    throw new StartupError(`MCP_TOKEN_PUBLIC_KEY_FILE: ${(error as Error).message}`);
  }
  return createTokenAuthenticator({ verifier, logger, accessToken });
}
