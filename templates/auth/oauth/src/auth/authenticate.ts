/**
 * Auth `oauth`: this server is an OAuth 2.1 resource server, as the MCP authorization spec asks.
 * Clients learn where to get a token from its protected-resource metadata (RFC 9728, published by
 * the HTTP transport and named in every 401 challenge); a token is accepted only if it names this
 * server's own URL as audience (RFC 8707, MCP_OAUTH_RESOURCE), checked locally as a JWT or by
 * asking the authorization server (RFC 7662 introspection). The token is never passed on to a
 * backend: handlers only ever see the Principal.
 */
import type { Config } from '../config.js';
import { StartupError } from '../startup-error.js';
import type { Authenticator, AuthenticatorDeps } from './authenticator.js';
import { createIntrospectionVerifier } from './introspection.js';
import { createTokenAuthenticator } from './token-authenticator.js';
import { createJwtVerifier, type TokenVerifier } from './token-verifier.js';

export type { Authenticator } from './authenticator.js';

export function createAuthenticator(config: Config, { logger }: AuthenticatorDeps): Authenticator {
  const { token, accessToken, resource, authorizationServers } = config.auth;
  const { verification } = token;
  let verifier: TokenVerifier;
  if (verification.kind === 'introspection') {
    verifier = createIntrospectionVerifier({ ...token, verification }, logger);
  } else {
    try {
      verifier = createJwtVerifier({ ...token, verification }, logger);
    } catch (error) {
      throw new StartupError(`MCP_TOKEN_PUBLIC_KEY_FILE: ${(error as Error).message}`);
    }
  }
  return createTokenAuthenticator({ verifier, logger, accessToken, protectedResource: { resource, authorizationServers } });
}
