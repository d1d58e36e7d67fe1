/**
 * A stand-in identity provider for tests: signing keys, tokens with any claims, a JWKS served on
 * 127.0.0.1 the way a real provider serves it, and the forgeries a server must refuse.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { base64url, exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';

/** The `iss` of every test token; it need not resolve: the server never calls the issuer. */
export const TEST_ISSUER = 'https://issuer.test';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export async function newSigningKey(alg = 'ES256', kid: string = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, publicPem: await exportSPKI(publicKey) };
}

/** One key per directory, kept in it, so every credential made for one test server verifies. */
export async function testSigningKey(dir: string): Promise<SigningKey & { publicKeyFile: string }> {
  const keyFile = join(dir, 'test-signing-key.json');
  const publicKeyFile = join(dir, 'issuer-public.pem');
  if (!existsSync(keyFile)) {
    const key = await newSigningKey();
    writeFileSync(keyFile, JSON.stringify({ kid: key.kid, alg: key.alg, privateJwk: await exportJWK(key.privateKey), publicJwk: key.publicJwk }), { mode: 0o600 });
    writeFileSync(publicKeyFile, key.publicPem);
    return { ...key, publicKeyFile };
  }
  const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as { kid: string; alg: string; privateJwk: JWK; publicJwk: JWK };
  const privateKey = (await importJWK(stored.privateJwk, stored.alg)) as CryptoKey;
  return { kid: stored.kid, alg: stored.alg, privateKey, publicJwk: stored.publicJwk, publicPem: readFileSync(publicKeyFile, 'utf8'), publicKeyFile };
}

export interface SignOptions {
  /** Seconds from now; negative for a token that has expired. Default 3600 after `issuedAt`. */
  expiresIn?: number;
  /** `iat`, in seconds from now: positive for a token minted in the future. Default 0. */
  issuedAt?: number;
  /** Leave `iat` out. */
  noIssuedAt?: boolean;
  /** Leave `exp` out. */
  noExpiry?: boolean;
  /** Extra or overriding protected-header fields (kid, jku, crit…). */
  header?: Record<string, unknown>;
}

export async function signToken(key: SigningKey, claims: Record<string, unknown>, options: SignOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header });
  if (!options.noIssuedAt) jwt.setIssuedAt(now + (options.issuedAt ?? 0));
  if (!options.noExpiry) jwt.setExpirationTime(now + (options.expiresIn ?? (options.issuedAt ?? 0) + 3600));
  // jose signs a `crit` header only when told it understands the extensions named.
  const crit = options.header?.['crit'];
  return jwt.sign(key.privateKey, Array.isArray(crit) ? { crit: Object.fromEntries(crit.map((name: string) => [name, true])) } : undefined);
}

/** A token with `alg: none` and no signature: what a server that trusts the header would accept. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iat: now, exp: now + 3600, ...claims })}.`;
}

/** HS256 with the issuer's public key as the HMAC secret: the classic algorithm-confusion forgery. */
export async function hmacWithPublicKey(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(key.publicPem));
}

/** The same token with its payload replaced (e.g. another tenant) and the original signature kept. */
export function withPayload(token: string, claims: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
}

export interface JwksServer {
  url: URL;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  /** Publish another key (a rotation: the provider adds the new key before signing with it). */
  publish(key: SigningKey): void;
  /** Stop publishing the key with this kid (what an identity provider does with a compromised key). */
  withdraw(kid: string): void;
  close(): Promise<void>;
}

/** Serves `{ keys: [...] }` at http://127.0.0.1:<port>/.well-known/jwks.json. */
export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let published = [...keys];
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`),
    fetches: () => fetches,
    publish: (key) => published.push(key),
    withdraw: (kid) => {
      published = published.filter((key) => key.kid !== kid);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
