/**
 * A verified token's claims -> the Principal. The tenant comes from one configured claim
 * (MCP_TOKEN_TENANT_CLAIM) and nothing else: a token without it is refused, never defaulted.
 */
import type { Principal } from './principal.js';

const TENANT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export type ClaimsCheck = { ok: true; principal: Principal } | { ok: false; reason: 'missing_claim' | 'invalid_claim'; claim: string };

export function principalFromClaims(claims: Record<string, unknown>, tenantClaim: string): ClaimsCheck {
  const tenant = claims[tenantClaim];
  if (tenant === undefined || tenant === null || tenant === '') return { ok: false, reason: 'missing_claim', claim: tenantClaim };
  if (typeof tenant !== 'string' || !TENANT_ID.test(tenant)) return { ok: false, reason: 'invalid_claim', claim: tenantClaim };

  const subject = claims['sub'];
  if (typeof subject !== 'string' || subject.length === 0) return { ok: false, reason: 'missing_claim', claim: 'sub' };
  if (subject.length > 256) return { ok: false, reason: 'invalid_claim', claim: 'sub' };

  const exp = claims['exp'];
  if (typeof exp !== 'number') return { ok: false, reason: 'missing_claim', claim: 'exp' };

  const clientId = [claims['client_id'], claims['azp'], subject].find((value): value is string => typeof value === 'string' && value.length > 0)!;
  return { ok: true, principal: { tenantId: tenant, subject, clientId, scopes: scopesOf(claims), expiresAt: exp } };
}

/** OAuth's `scope` (space-separated, RFC 8693) or Microsoft's `scp` (array or string). */
function scopesOf(claims: Record<string, unknown>): string[] {
  for (const claim of ['scope', 'scp']) {
    const value = claims[claim];
    if (typeof value === 'string') return value.split(' ').filter(Boolean);
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  }
  return [];
}
