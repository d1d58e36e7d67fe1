/**
 * The response cache shared through Redis by two server processes (two replicas). Runs when
 * REDIS_URL names a Redis to use (e.g. `REDIS_URL=redis://127.0.0.1:6379 npm test`); every key
 * it writes is under a prefix of its own, deleted at the end.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterAll, describe, expect, it } from 'vitest';

import type { AuditRecord } from '../src/audit/audit-record.js';
import { cachedLookup, writeNote } from './support/cache-probes.js';
import { startProbeServerProcess } from './support/probe-server.js';
import type { ServerProcess } from './support/server-process.js';
import { deleteTestKeys, testKeyPrefix } from './support/redis-keys.js';
import { testCredential } from './support/test-credential.js';

const redisUrl = process.env['REDIS_URL'];
const SCOPES = ['probe:read', 'probe:write'];

describe.runIf(redisUrl)('response cache shared through Redis', () => {
  const keyPrefix = testKeyPrefix();
  afterAll(async () => {
    await deleteTestKeys(redisUrl!, keyPrefix);
  });

  it('serves an answer cached by one replica from the other, per tenant; a write on one drops it on both', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-cache-redis-test-'));
    const acme = await testCredential(dir, 'acme', SCOPES);
    const globex = await testCredential(dir, 'globex', SCOPES);
    const env = { ...acme.env, REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: keyPrefix };
    const servers: ServerProcess[] = [];
    const clients: Client[] = [];
    const connect = async (server: ServerProcess, headers: Record<string, string>) => {
      const client = new Client({ name: 'cache-redis-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
      await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers } }));
      clients.push(client);
      return client;
    };
    const lookup = async (client: Client) => {
      const result = (await client.callTool({ name: cachedLookup.name, arguments: { key: 'shared' } })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      return result.structuredContent as { tenant: string; runId: string };
    };
    try {
      servers.push(
        ...(await Promise.all([
          startProbeServerProcess({ ...env, AUDIT_LOG: join(dir, 'audit-1.jsonl') }),
          startProbeServerProcess({ ...env, AUDIT_LOG: join(dir, 'audit-2.jsonl') }),
        ])),
      );
      const acmeOnFirst = await connect(servers[0]!, acme.headers);
      const acmeOnSecond = await connect(servers[1]!, acme.headers);
      const globexOnSecond = await connect(servers[1]!, globex.headers);

      const cached = await lookup(acmeOnFirst);
      expect(await lookup(acmeOnSecond)).toEqual(cached);
      const theirs = await lookup(globexOnSecond);
      expect(theirs.tenant).toBe('globex');
      expect(theirs.runId).not.toBe(cached.runId);

      // A write on the second replica drops the answer the first one cached.
      const write = (await acmeOnSecond.callTool({ name: writeNote.name, arguments: { note: 'changed' } })) as CallToolResult;
      expect(write.isError).toBeFalsy();
      const fresh = await lookup(acmeOnFirst);
      expect(fresh.runId).not.toBe(cached.runId);
      expect(await lookup(acmeOnSecond)).toEqual(fresh);
      // globex's answer was not touched by acme's write.
      expect(await lookup(globexOnSecond)).toEqual(theirs);
    } finally {
      for (const client of clients) await client.close().catch(() => {});
      await Promise.all(servers.map((server) => server.stop()));
    }
    const audit = (file: string) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditRecord)
        .filter((record) => record.tool === cachedLookup.name)
        .map((record) => [record.tenant, record.cache]);
    expect(audit('audit-1.jsonl')).toEqual([
      ['acme', 'miss'],
      ['acme', 'miss'],
    ]);
    expect(audit('audit-2.jsonl')).toEqual([
      ['acme', 'hit'],
      ['globex', 'miss'],
      ['acme', 'hit'],
      ['globex', 'hit'],
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});
