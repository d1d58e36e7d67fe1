/**
 * Verifies a bearer JWT with jose: the signature against the issuer's JWKS (trusted for
 * MCP_TOKEN_JWKS_CACHE_SECONDS, then fetched again; refetched at once when a token names an unknown
 * `kid`, at most once per 30 s cooldown, and on SIGHUP) or a static PEM public key; only the
 * allowed asymmetric algorithms (never `none`, never HS*); `iss`, `aud`; `exp` / `nbf` within
 * MCP_TOKEN_CLOCK_SKEW_SECONDS; and `iat`, which must be present, not in the future (beyond the
 * skew) and at most MCP_TOKEN_MAX_AGE_SECONDS old: a token minted with a clock (or a stolen key)
 * years ahead is not good until then. Then the claims become the Principal.
 *
 * A refusal carries a short reason code (safe to log and to show the client); never the token.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

import type { TokenSettings } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { Principal } from './principal.js';
import { principalFromClaims } from './token-claims.js';

export type TokenRefusal =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'bad_signature'
  | 'unknown_key'
  | 'algorithm_not_allowed'
  | 'missing_claim'
  | 'invalid_claim'
  | 'inactive'
  | 'verifier_unavailable';

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; reason: TokenRefusal; claim?: string | undefined };

export interface TokenVerifier {
  verify(token: string): Promise<TokenCheck>;
  /** Re-reads the key material now: the public key file, or the JWKS. */
  reload(): void;
}

type JwtVerification = Extract<TokenSettings['verification'], { kind: 'jwks' | 'public-key' }>;

/**
 * Throws (at start-up) when the public key file does not hold a public key. `jwksCooldownMs`: how
 * soon after a fetch an unknown `kid` may fetch the JWKS again (tests shorten it).
 */
export function createJwtVerifier(
  settings: TokenSettings & { verification: JwtVerification },
  logger: Logger,
  { jwksCooldownMs = 30_000 }: { jwksCooldownMs?: number } = {},
): TokenVerifier {
  const { verification } = settings;
  let publicKey: KeyObject | undefined;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  if (verification.kind === 'jwks') {
    jwks = createRemoteJWKSet(verification.url, { cooldownDuration: jwksCooldownMs, cacheMaxAge: settings.jwksCacheSeconds * 1000, timeoutDuration: 5_000 });
  } else {
    publicKey = readPublicKey(verification.file);
  }
  const key: KeyObject | JWTVerifyGetKey = jwks ?? ((() => publicKey!) as JWTVerifyGetKey);

  return {
    async verify(token) {
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(token, key, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: verification.algorithms,
          clockTolerance: settings.clockSkewSeconds,
          // Also makes jose require `iat` and refuse one in the future.
          maxTokenAge: settings.maxAgeSeconds,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        const refusal = refusalOf(error, verification.kind);
        if (refusal.reason === 'verifier_unavailable') logger.warn({ err: error }, 'cannot fetch the JWKS to verify a token');
        return refusal;
      }
      return principalFromClaims(claims, settings.tenantClaim);
    },

    reload() {
      if (jwks) {
        jwks.reload().then(
          () => logger.info('JWKS reloaded: keys the issuer no longer publishes are no longer trusted'),
          (error: unknown) => logger.error({ err: error }, 'JWKS reload failed; still using the cached keys'),
        );
        return;
      }
      try {
        publicKey = readPublicKey((verification as Extract<JwtVerification, { kind: 'public-key' }>).file);
        logger.info('token public key reloaded');
      } catch (error) {
        logger.error({ problem: (error as Error).message }, 'token public key file is invalid; still using the previous key');
      }
    },
  };
}

function readPublicKey(file: string): KeyObject {
  const pem = readFileSync(file, 'utf8');
  // createPublicKey would derive a public key from a private one: refuse a private key outright,
  // it has no business on this server.
  if (/PRIVATE KEY/.test(pem)) throw new Error(`${file} holds a private key: give this server the issuer's public key only`);
  try {
    return createPublicKey(pem);
  } catch {
    throw new Error(`${file} is not a PEM public key (-----BEGIN PUBLIC KEY-----)`);
  }
}

/** jose's error -> our reason code. */
function refusalOf(error: unknown, keys: JwtVerification['kind']): Extract<TokenCheck, { ok: false }> {
  // `iat` older than MCP_TOKEN_MAX_AGE_SECONDS is jose's JWTExpired too: say which claim.
  if (error instanceof errors.JWTExpired) return error.claim === 'iat' ? { ok: false, reason: 'expired', claim: 'iat' } : { ok: false, reason: 'expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return { ok: false, reason: 'not_yet_valid' };
    if (error.claim === 'iat') return error.reason === 'missing' ? { ok: false, reason: 'missing_claim', claim: 'iat' } : { ok: false, reason: 'not_yet_valid', claim: 'iat' };
    if (error.claim === 'iss') return { ok: false, reason: 'wrong_issuer' };
    if (error.claim === 'aud') return { ok: false, reason: 'wrong_audience' };
    return { ok: false, reason: error.reason === 'missing' ? 'missing_claim' : 'invalid_claim', claim: error.claim };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad_signature' };
  if (error instanceof errors.JOSEAlgNotAllowed) return { ok: false, reason: 'algorithm_not_allowed' };
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return { ok: false, reason: 'unknown_key' };
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return { ok: false, reason: 'verifier_unavailable' };
  if (error instanceof errors.JOSEError) return { ok: false, reason: 'malformed' };
  // Not jose's own: with a JWKS, the fetch failed; with a public key, the key does not fit the token's algorithm.
  return keys === 'jwks' ? { ok: false, reason: 'verifier_unavailable' } : { ok: false, reason: 'bad_signature' };
}
