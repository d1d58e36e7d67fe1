import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ApiKeyVerifier, createApiKey, hashApiKey, readKeysFile, revokeApiKey } from '../src/auth/api-keys.js';
import { runKeysCli } from '../src/auth/keys-cli.js';

const silent = pino({ level: 'silent' });

describe('API keys', () => {
  let dir: string;
  let keysFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-keys-'));
    keysFile = join(dir, 'keys.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores only a hash and a non-secret prefix', () => {
    const { key, stored } = createApiKey(keysFile, { tenantId: 'acme', subject: 'alice', scopes: ['tools:read'] });
    const text = readFileSync(keysFile, 'utf8');
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(stored.prefix.length + 1));
    expect(stored.sha256).toBe(hashApiKey(key));
    expect(key.startsWith(`${stored.prefix}_`)).toBe(true);
  });

  it('resolves a good key to its principal', () => {
    const { key, stored } = createApiKey(keysFile, { tenantId: 'acme', subject: 'alice', scopes: ['tools:read', 'tools:write'] });
    const verifier = new ApiKeyVerifier(keysFile, silent);
    expect(verifier.check(key)).toEqual({
      ok: true,
      principal: { tenantId: 'acme', subject: 'alice', clientId: stored.prefix, scopes: ['tools:read', 'tools:write'] },
    });
  });

  it('refuses unknown, malformed, revoked and expired keys', () => {
    const { key } = createApiKey(keysFile, { tenantId: 'acme', subject: 'alice', scopes: ['tools:read'] });
    const revoked = createApiKey(keysFile, { tenantId: 'acme', subject: 'bob', scopes: ['tools:read'] });
    revokeApiKey(keysFile, revoked.stored.prefix);
    const expired = createApiKey(keysFile, {
      tenantId: 'acme',
      subject: 'carol',
      scopes: ['tools:read'],
      expiresAt: new Date('2026-01-01T00:00:00Z'),
      now: new Date('2025-01-01T00:00:00Z'),
    });
    const verifier = new ApiKeyVerifier(keysFile, silent);
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    // A well-formed key is named by its (public) prefix; anything else by nothing at all.
    expect(verifier.check(tampered)).toEqual({ ok: false, reason: 'unknown', prefix: key.slice(0, 16) });
    expect(verifier.check('not-a-key')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifier.check(revoked.key)).toEqual({ ok: false, reason: 'revoked', prefix: revoked.stored.prefix });
    expect(verifier.check(expired.key, new Date('2026-06-01T00:00:00Z'))).toEqual({ ok: false, reason: 'expired', prefix: expired.stored.prefix });
    expect(verifier.check(expired.key, new Date('2025-06-01T00:00:00Z')).ok).toBe(true);
  });

  it('notices a changed keys file without a restart', () => {
    const verifier = new ApiKeyVerifier(keysFile, silent, 0);
    const { key, stored } = createApiKey(keysFile, { tenantId: 'acme', subject: 'alice', scopes: [] });
    expect(verifier.check(key).ok).toBe(true);
    revokeApiKey(keysFile, stored.prefix);
    expect(verifier.check(key)).toEqual({ ok: false, reason: 'revoked', prefix: stored.prefix });
  });

  it('re-reads the keys file on demand (SIGHUP), without waiting for the next check', () => {
    const verifier = new ApiKeyVerifier(keysFile, silent, 60_000);
    verifier.check('not-a-key'); // starts the 60 s window in which the file is not looked at
    const { key } = createApiKey(keysFile, { tenantId: 'acme', subject: 'alice', scopes: [] });
    expect(verifier.check(key)).toMatchObject({ ok: false, reason: 'unknown' });
    verifier.reload(false);
    expect(verifier.check(key).ok).toBe(true);
  });

  it('keeps the last good keys when the file becomes invalid', () => {
    const { key } = createApiKey(keysFile, { tenantId: 'acme', subject: 'alice', scopes: [] });
    const verifier = new ApiKeyVerifier(keysFile, silent, 0);
    writeFileSync(keysFile, '{ "version": 1, "keys": [ broken');
    expect(verifier.check(key).ok).toBe(true);
  });

  it('treats a missing file as no keys', () => {
    expect(readKeysFile(join(dir, 'absent.json'))).toEqual({ version: 1, keys: [] });
    expect(new ApiKeyVerifier(join(dir, 'absent.json'), silent).size).toBe(0);
  });
});

describe('keys CLI', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const run = (...argv: string[]) =>
    runKeysCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line), env: { MCP_API_KEYS_FILE: join(dir, 'keys.json') } });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-keys-cli-'));
    out = [];
    err = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key, printing it once, lists without secrets, and revokes by prefix', () => {
    expect(run('create', '--tenant', 'acme', '--subject', 'alice', '--scopes', 'tools:read,tools:write', '--expires', '2999-01-01')).toBe(0);
    const [key] = out;
    expect(key).toMatch(/^mcp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const prefix = key!.slice(0, 16);

    out = [];
    expect(run('list')).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain(prefix);
    expect(out[0]).toContain('active');
    expect(out.join('\n')).not.toContain(key);

    expect(run('revoke', prefix)).toBe(0);
    out = [];
    run('list');
    expect(out[0]).toContain('revoked');
    expect(run('revoke', 'mcp_000000000000')).toBe(1);
  });

  it('rejects bad input with exit code 2 and says why', () => {
    expect(run('create', '--tenant', 'bad tenant', '--scopes', '')).toBe(2);
    expect(err.join('\n')).toMatch(/--tenant/);
    expect(err.join('\n')).toMatch(/--subject/);
    expect(err.join('\n')).toMatch(/--scopes/);
    expect(run('create', '--tenant', 'acme', '--subject', 'a', '--scopes', 'x', '--expires', '2001-01-01')).toBe(2);
    expect(run('frobnicate')).toBe(2);
  });
});
