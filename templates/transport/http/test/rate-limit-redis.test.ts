/**
 * Rate limits shared through Redis by several server processes. Runs when REDIS_URL names a
 * Redis to use (e.g. `REDIS_URL=redis://127.0.0.1:6379 npm test`); every key it writes is under
 * a prefix of its own, deleted at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterAll, describe, expect, it } from 'vitest';

import { tools } from '../src/tools/registry.js';
import { startHarness, textOf } from './support/harness.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { deleteTestKeys, testKeyPrefix } from './support/redis-keys.js';
import { testCredential } from './support/test-credential.js';

const redisUrl = process.env['REDIS_URL'];

describe.runIf(redisUrl)('rate limits shared through Redis', () => {
  // A prefix per test: both call the same tool for the same tenant, and one's calls must not
  // spend the other's budget, whichever runs first.
  const keyPrefix = testKeyPrefix();
  const readinessPrefix = testKeyPrefix();
  afterAll(async () => {
    await deleteTestKeys(redisUrl!, keyPrefix);
    await deleteTestKeys(redisUrl!, readinessPrefix);
  });

  it('lets exactly L of N concurrent calls through, across two server processes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-redis-test-'));
    const credential = await testCredential(dir, 'acme');
    // A tool under RATE_LIMIT_TOOL_PER_MINUTE; one with a limit of its own keeps that instead.
    const tool = tools.find((candidate) => candidate.rateLimit === undefined) ?? tools[0]!;
    const limit = tool.rateLimit?.perMinute ?? 7;
    const calls = Math.max(24, limit + 10);
    const env = {
      ...credential.env,
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: keyPrefix,
      RATE_LIMIT_TOOL_PER_MINUTE: String(limit),
      AUDIT_LOG: join(dir, 'audit.jsonl'),
    };
    const servers: ServerProcess[] = [];
    const clients: Client[] = [];
    try {
      servers.push(...(await Promise.all([startServerProcess(env), startServerProcess({ ...env, AUDIT_LOG: join(dir, 'audit-2.jsonl') })])));
      for (const server of servers) {
        const client = new Client({ name: 'redis-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
        await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: credential.headers } }));
        clients.push(client);
      }
      // The budget is taken before arguments are validated, so any arguments will do.
      const results = (await Promise.all(
        Array.from({ length: calls }, (_, i) => clients[i % 2]!.callTool({ name: tool.name, arguments: {} })),
      )) as CallToolResult[];
      const limited = results.filter((result) => textOf(result).startsWith('[rate_limited]'));
      expect(results.length - limited.length).toBe(limit);
      for (const result of limited) expect(textOf(result)).toMatch(/Retry in \d+ seconds?\.$/);
    } finally {
      for (const client of clients) await client.close().catch(() => {});
      await Promise.all(servers.map((server) => server.stop()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports Redis in readiness and tells a limited caller how long to wait', async () => {
    const harness = await startHarness({ env: { REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: readinessPrefix, RATE_LIMIT_TENANT_PER_MINUTE: '1' } });
    try {
      expect(await harness.app.readiness()).toMatchObject({ ready: true, dependencies: { redis: true }, degraded: [] });
      const tool = tools[0]!.name;
      await harness.call(tool, {});
      const wait = Number(/^\[rate_limited\] Too many calls for this tenant\. Retry in (\d+) seconds?\.$/.exec(textOf(await harness.call(tool, {})))?.[1]);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
    } finally {
      await harness.close();
    }
  });
});
