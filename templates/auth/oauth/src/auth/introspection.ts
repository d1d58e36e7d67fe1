/**
 * RFC 7662 token introspection, for authorization servers whose access tokens are opaque (or
 * must be checked for revocation): the server asks MCP_OAUTH_INTROSPECTION_URL about each token,
 * authenticating as MCP_OAUTH_CLIENT_ID / MCP_OAUTH_CLIENT_SECRET, then applies the same checks as
 * for a JWT: active, issuer, audience = this server, lifetime (`exp`, `nbf`, and `iat` when the
 * answer gives one), tenant claim.
 *
 * Answers are cached for at most 30 seconds (never past the token's expiry), keyed by a hash of
 * the token: a revoked token stops working within 30 s, and a busy client costs one introspection
 * per half minute.
 */
import { createHash } from 'node:crypto';

import type { TokenSettings } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { principalFromClaims } from './token-claims.js';
import type { TokenCheck, TokenVerifier } from './token-verifier.js';

const CACHE_SECONDS = 30;
const CACHE_ENTRIES = 10_000;
const TIMEOUT_MS = 5_000;

type Introspection = Extract<TokenSettings['verification'], { kind: 'introspection' }>;

export function createIntrospectionVerifier(settings: TokenSettings & { verification: Introspection }, logger: Logger): TokenVerifier {
  const { url, clientId, clientSecret } = settings.verification;
  // RFC 6749 §2.3.1: the client id and secret are form-encoded before going into Basic.
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  const cache = new Map<string, { check: TokenCheck; until: number }>();

  const introspect = async (token: string): Promise<TokenCheck> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      logger.warn({ err: error, introspectionUrl: url.href }, 'token introspection failed');
      return { ok: false, reason: 'verifier_unavailable' };
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok || body === null || typeof body !== 'object') {
      logger.warn({ status: response.status, introspectionUrl: url.href }, 'token introspection answered with an error');
      return { ok: false, reason: 'verifier_unavailable' };
    }
    return checkClaims(body as Record<string, unknown>, settings);
  };

  return {
    async verify(token) {
      const key = createHash('sha256').update(token).digest('hex');
      const now = Date.now();
      const cached = cache.get(key);
      if (cached && cached.until > now) return cached.check;

      const check = await introspect(token);
      if (check.ok || check.reason !== 'verifier_unavailable') {
        const expiry = check.ok && check.principal.expiresAt !== undefined ? check.principal.expiresAt * 1000 : Infinity;
        if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
        cache.set(key, { check, until: Math.min(now + CACHE_SECONDS * 1000, expiry) });
      }
      return check;
    },
    reload: () => cache.clear(),
  };
}

/** An introspection answer -> the Principal, with the checks a JWT gets. */
export function checkClaims(claims: Record<string, unknown>, settings: TokenSettings, nowSeconds = Date.now() / 1000): TokenCheck {
  if (claims['active'] !== true) return { ok: false, reason: 'inactive' };
  const skew = settings.clockSkewSeconds;
  const exp = claims['exp'];
  if (typeof exp !== 'number') return { ok: false, reason: 'missing_claim', claim: 'exp' };
  if (exp + skew <= nowSeconds) return { ok: false, reason: 'expired' };
  const nbf = claims['nbf'];
  if (typeof nbf === 'number' && nbf - skew > nowSeconds) return { ok: false, reason: 'not_yet_valid' };
  // `iat` is optional in an introspection answer (RFC 7662); when given, it gets a JWT's checks.
  const iat = claims['iat'];
  if (typeof iat === 'number' && iat - skew > nowSeconds) return { ok: false, reason: 'not_yet_valid', claim: 'iat' };
  if (typeof iat === 'number' && nowSeconds - iat - skew > settings.maxAgeSeconds) return { ok: false, reason: 'expired', claim: 'iat' };
  if (claims['iss'] !== undefined && claims['iss'] !== settings.issuer) return { ok: false, reason: 'wrong_issuer' };
  const aud = claims['aud'];
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(settings.audience)) return { ok: false, reason: 'wrong_audience' };
  return principalFromClaims(claims, settings.tenantClaim);
}
