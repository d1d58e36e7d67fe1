/**
 * An identity provider stand-in for the end-to-end tests: one ES256 key, its JWKS served on
 * 127.0.0.1, and tokens signed with it (node:crypto only: JWS compact serialization, RFC 7515).
 */
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export const ISSUER = 'https://issuer.e2e.test';

export interface TestIssuer {
  jwksUrl: string;
  /** A token signed by the published key; `exp` one hour ahead unless the claims set it. */
  token(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = 'e2e-key-1';
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    token: (claims) => signEs256(privateKey, kid, { iss: ISSUER, iat: now(), exp: now() + 3600, ...claims }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function signEs256(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const input = `${b64url(JSON.stringify({ alg: 'ES256', kid, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

const now = () => Math.floor(Date.now() / 1000);
