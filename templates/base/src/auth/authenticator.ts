/**
 * What every auth layer provides (src/auth/authenticate.ts implements it): turn a transport's
 * credential into a Principal, or refuse. Transports call it before the SDK sees anything.
 */
import type { IncomingMessage } from 'node:http';

import type { Logger } from '../observability/logger.js';
import type { Principal } from './principal.js';

export type HttpAuthResult =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      /**
       * RFC 6750's error code for the 401 challenge: none for a missing credential (the client
       * just learns which scheme to use), `invalid_request` for a malformed header,
       * `invalid_token` for a credential that is not (or no longer) valid.
       */
      error?: 'invalid_request' | 'invalid_token';
      /** Short, safe to show the client: never the credential or a part of it. */
      message: string;
      /**
       * The credential could not be checked right now (the identity provider's JWKS or
       * introspection endpoint is unreachable): 503, so clients retry instead of signing in again.
       */
      unavailable?: boolean;
    };

/** oauth: this server as an OAuth 2.1 protected resource, whose RFC 9728 metadata the HTTP transport publishes. */
export interface ProtectedResource {
  /** This server's canonical URL (the /mcp endpoint): the audience its tokens must name. */
  resource: URL;
  /** Issuers of the authorization servers clients get tokens from. */
  authorizationServers: readonly string[];
}

export interface Authenticator {
  /** stdio: the one principal this process acts as, resolved once at start-up (rejects with StartupError). */
  stdioPrincipal(): Promise<Principal>;
  /** HTTP: who sent this request, or why it is refused (the transport answers 401 with a challenge). */
  authenticateHttp(req: IncomingMessage): Promise<HttpAuthResult>;
  /** Set by auth `oauth` only. */
  readonly protectedResource?: ProtectedResource | undefined;
  /** Re-reads key material now (SIGHUP): the keys file, a public key file, the JWKS. */
  reload(): void;
  /** Stops watching files etc. */
  close(): void;
}

export interface AuthenticatorDeps {
  logger: Logger;
  /** Every scope any registered tool needs. */
  allScopes: readonly string[];
}

/** The credential of `Authorization: Bearer <credential>`, or why the header is unusable. */
export function bearerCredential(req: IncomingMessage): { ok: true; credential: string } | Extract<HttpAuthResult, { ok: false }> {
  // Node keeps only the first of several Authorization headers; a proxy in front may read another.
  if (authorizationHeaders(req.rawHeaders) > 1) {
    return { ok: false, error: 'invalid_request', message: 'More than one Authorization header: send one credential.' };
  }
  const header = req.headers.authorization;
  if (!header) return { ok: false, message: 'Missing credential: send Authorization: Bearer <credential>.' };
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match?.[1]) {
    return { ok: false, error: 'invalid_request', message: 'Malformed Authorization header: expected Bearer <credential>.' };
  }
  return { ok: true, credential: match[1] };
}

/** How many Authorization headers came, counted on the raw list (no per-request header object). */
function authorizationHeaders(raw: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 13 && raw[i]!.toLowerCase() === 'authorization') count++;
  return count;
}
