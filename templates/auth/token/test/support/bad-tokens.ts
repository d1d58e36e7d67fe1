/**
 * Tokens a server must refuse, each with the reason its 401 challenge gives: expired, not yet
 * valid, issued in the future or too long ago, for another audience or issuer, forged every classic way (alg none, HS256 keyed with the
 * public key, altered payload, foreign key under a known kid), or missing what identifies the caller.
 */
import { base64url } from 'jose';

import { hmacWithPublicKey, newSigningKey, signToken, unsignedToken, withPayload, type SigningKey } from './token-issuer.js';

export type BadToken = [name: string, token: string, challenge: RegExp];

const DAY = 86_400;
const YEAR = 365 * DAY;

/** `claims`: a valid claim set for the server under test (iss, aud, sub, tenant_id, scope). */
export async function badTokens(key: SigningKey, claims: Record<string, unknown>): Promise<BadToken[]> {
  const good = await signToken(key, claims);
  const without = (claim: string) => Object.fromEntries(Object.entries(claims).filter(([name]) => name !== claim));
  const stranger = await newSigningKey(key.alg, 'not-published');
  const impostor = await newSigningKey(key.alg, key.kid); // same kid, other key
  const es384 = await newSigningKey('ES384', key.kid);
  const now = Math.floor(Date.now() / 1000);
  // Change the signature's first character: its last one may only carry base64 padding bits.
  const [head, body, signature] = good.split('.') as [string, string, string];
  const broken = `${head}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
  return [
    ['not a JWT at all', 'not-a-jwt', /invalid_token.*malformed/],
    ['expired beyond the clock skew', await signToken(key, claims, { expiresIn: -120 }), /invalid_token.*expired/],
    ['not valid yet', await signToken(key, { ...claims, nbf: now + 600 }), /invalid_token.*not yet valid/],
    // A valid `exp` does not make a token minted years ahead good now (a skewed clock, a stolen key).
    ['issued five years in the future, expiring within the hour', await signToken(key, claims, { issuedAt: 5 * YEAR, expiresIn: 3600 }), /invalid_token.*not yet valid \(iat\)/],
    ['issued and expiring ten years in the future', await signToken(key, claims, { issuedAt: 10 * YEAR }), /invalid_token.*not yet valid \(iat\)/],
    ['issued just beyond the clock skew ahead', await signToken(key, claims, { issuedAt: 120 }), /invalid_token.*not yet valid \(iat\)/],
    ['issued longer ago than MCP_TOKEN_MAX_AGE_SECONDS allows', await signToken(key, claims, { issuedAt: -2 * DAY, expiresIn: 3600 }), /invalid_token.*expired \(iat\)/],
    ['without an issued-at time', await signToken(key, claims, { noIssuedAt: true }), /invalid_token.*missing claim \(iat\)/],
    ['for another audience', await signToken(key, { ...claims, aud: 'https://other-server.example/mcp' }), /invalid_token.*wrong audience/],
    ['for a list of other audiences', await signToken(key, { ...claims, aud: ['api://billing', 'api://crm'] }), /invalid_token.*wrong audience/],
    ['from another issuer', await signToken(key, { ...claims, iss: 'https://evil.example' }), /invalid_token.*wrong issuer/],
    ['unsigned, alg "none"', unsignedToken(claims), /invalid_token.*(algorithm not allowed|malformed)/],
    ['HS256 keyed with the public key', await hmacWithPublicKey(key, claims), /invalid_token.*algorithm not allowed/],
    ['an algorithm not allowed (ES384)', await signToken(es384, claims), /invalid_token.*algorithm not allowed/],
    ['a broken signature', broken, /invalid_token.*bad signature/],
    ['another tenant pasted into a signed token', withPayload(good, { ...claims, tenant_id: 'globex', exp: now + 3600 }), /invalid_token.*bad signature/],
    ['signed by another key under the known kid', await signToken(impostor, claims), /invalid_token.*bad signature/],
    ['signed by a key the issuer never published', await signToken(stranger, claims), /invalid_token.*unknown key/],
    [
      'pointing at its own key set (jku)',
      await signToken(stranger, claims, { header: { jku: 'https://evil.example/jwks.json' } }),
      /invalid_token.*unknown key/,
    ],
    ['with a critical header the server does not know', await signToken(key, claims, { header: { crit: ['x-evil'], 'x-evil': true } }), /invalid_token.*malformed/],
    ['without the tenant claim', await signToken(key, without('tenant_id')), /invalid_token.*missing claim \(tenant_id\)/],
    ['with a tenant claim that is not a string', await signToken(key, { ...claims, tenant_id: 42 }), /invalid_token.*invalid claim \(tenant_id\)/],
    ['with a tenant claim that is not a tenant id', await signToken(key, { ...claims, tenant_id: 'acme/../globex' }), /invalid_token.*invalid claim \(tenant_id\)/],
    ['without a subject', await signToken(key, without('sub')), /invalid_token.*missing claim/],
    ['without an expiry', await signToken(key, claims, { noExpiry: true }), /invalid_token.*missing claim/],
    ['shaped like an encrypted token (JWE)', `${base64url.encode('{"alg":"dir","enc":"A256GCM"}')}.x.y.z.w`, /invalid_token.*malformed/],
  ];
}
