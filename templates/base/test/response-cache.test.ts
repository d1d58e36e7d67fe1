/**
 * The tenant-scoped response cache, through the real pipeline and a real SDK Client: a repeated
 * call is a hit (audited and counted), never for another tenant, still authorized and
 * rate-limited, dropped by a write of the same tenant, bounded in size.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';

import { memoryResponseStore } from '../src/cache/memory-response-store.js';
import type { CachedAnswer } from '../src/cache/response-store.js';
import { cacheProbeTools, cachedLookup, lookupRuns, writeNote } from './support/cache-probes.js';
import { startHarness, textOf, type Harness } from './support/harness.js';

/** Only catches a hang: servers start for real, on CI runners whose cores may all be busy. */
const SLOW_MACHINE_MS = 300_000;

const SCOPES = ['probe:read', 'probe:write'];

describe('response cache', { timeout: SLOW_MACHINE_MS }, () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  }, SLOW_MACHINE_MS);

  const start = async (env: Record<string, string> = {}) => {
    harness = await startHarness({ tools: cacheProbeTools, scopes: SCOPES, env });
    return harness;
  };
  const runIdOf = (result: CallToolResult) => (result.structuredContent as { runId: string }).runId;
  const lookup = async (client: Harness['client'], args: Record<string, unknown>) =>
    (await client.callTool({ name: cachedLookup.name, arguments: args })) as CallToolResult;

  it('answers a repeated call of the same tenant from the cache: audited as a hit, counted in metrics', async () => {
    const { client, app, auditRecords } = await start();
    const runsBefore = lookupRuns.count;
    const first = await lookup(client, { key: 'k1' });
    const second = await lookup(client, { key: 'k1' });
    expect(second.structuredContent).toEqual(first.structuredContent);
    expect(lookupRuns.count - runsBefore).toBe(1);

    const records = await auditRecords();
    expect(records.map((record) => [record.outcome, record.cache])).toEqual([
      ['ok', 'miss'],
      ['ok', 'hit'],
    ]);
    // A hit calls no backend, and says how big its answer was like any call.
    expect(records[1]).toMatchObject({ tenant: 'acme', backendCalls: [], responseBytes: records[0]!.responseBytes });
    const { body } = await app.metrics.render();
    expect(body).toMatch(/^mcp_cache_lookups_total\{tool="probe\.cached_lookup",result="hit"\} 1$/m);
    expect(body).toMatch(/^mcp_cache_lookups_total\{tool="probe\.cached_lookup",result="miss"\} 1$/m);
  });

  it('never gives one tenant the answer cached for another', async () => {
    const { client, connectAs, auditRecords } = await start();
    const acme = await lookup(client, { key: 'shared' });
    const globexClient = await connectAs({ tenantId: 'globex', scopes: SCOPES });
    const globex = await lookup(globexClient, { key: 'shared' });
    expect(globex.structuredContent).toMatchObject({ tenant: 'globex' });
    expect(runIdOf(globex)).not.toBe(runIdOf(acme));
    // And each tenant's own repeat is its own hit.
    expect(runIdOf(await lookup(globexClient, { key: 'shared' }))).toBe(runIdOf(globex));
    expect(runIdOf(await lookup(client, { key: 'shared' }))).toBe(runIdOf(acme));
    expect((await auditRecords()).map((record) => [record.tenant, record.cache])).toEqual([
      ['acme', 'miss'],
      ['globex', 'miss'],
      ['globex', 'hit'],
      ['acme', 'hit'],
    ]);
  });

  it('keys on the arguments, not on the order they came in', async () => {
    const { client } = await start();
    const first = await lookup(client, { key: 'a', depth: 2 });
    expect(runIdOf(await lookup(client, { depth: 2, key: 'a' }))).toBe(runIdOf(first));
    expect(runIdOf(await lookup(client, { key: 'a', depth: 3 }))).not.toBe(runIdOf(first));
    expect(runIdOf(await lookup(client, { key: 'a' }))).not.toBe(runIdOf(first));
  });

  it('still authorizes and rate-limits a call whose answer is cached', async () => {
    const { client, connectAs } = await start({ RATE_LIMIT_TOOL_PER_MINUTE: '2' });
    const cached = runIdOf(await lookup(client, { key: 'k' }));
    // Same tenant, without the scope: refused, not served from the cache.
    const unscoped = await connectAs({ subject: 'bob', scopes: ['probe:write'] });
    const refused = await lookup(unscoped, { key: 'k' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^\[forbidden\]/);
    // The refused call took no point: the second call is a hit, the third is over the tool's budget.
    expect(runIdOf(await lookup(client, { key: 'k' }))).toBe(cached);
    const limited = await lookup(client, { key: 'k' });
    expect(textOf(limited)).toMatch(/^\[rate_limited\]/);
  });

  it('drops a tenant\'s cached answers when a write tool of that tenant ran, not another tenant\'s', async () => {
    const { client, connectAs, auditRecords } = await start();
    const cached = runIdOf(await lookup(client, { key: 'k' }));
    const globex = await connectAs({ tenantId: 'globex', scopes: SCOPES });
    await globex.callTool({ name: writeNote.name, arguments: { note: 'theirs' } });
    expect(runIdOf(await lookup(client, { key: 'k' }))).toBe(cached);
    // A write refused before it ran changes nothing, so it drops nothing.
    const failed = (await client.callTool({ name: writeNote.name, arguments: { note: 'no', fail: true } })) as CallToolResult;
    expect(failed.isError).toBe(true);
    expect(runIdOf(await lookup(client, { key: 'k' }))).toBe(cached);

    await client.callTool({ name: writeNote.name, arguments: { note: 'ours' } });
    const fresh = runIdOf(await lookup(client, { key: 'k' }));
    expect(fresh).not.toBe(cached);
    expect(runIdOf(await lookup(client, { key: 'k' }))).toBe(fresh);
    const writes = (await auditRecords()).filter((record) => record.tool === writeNote.name);
    expect(writes.map((record) => [record.tenant, record.outcome, record.cache])).toEqual([
      ['globex', 'ok', 'invalidated'],
      ['acme', 'error', undefined],
      ['acme', 'ok', 'invalidated'],
    ]);
  });

  it('holds at most RESPONSE_CACHE_MAX_ENTRIES answers, dropping the least recently used', async () => {
    const { client } = await start({ RESPONSE_CACHE_MAX_ENTRIES: '2' });
    const one = runIdOf(await lookup(client, { key: 'one' }));
    const two = runIdOf(await lookup(client, { key: 'two' }));
    expect(runIdOf(await lookup(client, { key: 'one' }))).toBe(one); // now the most recently used
    await lookup(client, { key: 'three' }); // evicts "two"
    expect(runIdOf(await lookup(client, { key: 'one' }))).toBe(one);
    expect(runIdOf(await lookup(client, { key: 'two' }))).not.toBe(two);
  });

  it('is off with RESPONSE_CACHE_ENABLED=false', async () => {
    const { client, auditRecords } = await start({ RESPONSE_CACHE_ENABLED: 'false' });
    const first = runIdOf(await lookup(client, { key: 'k' }));
    expect(runIdOf(await lookup(client, { key: 'k' }))).not.toBe(first);
    expect((await auditRecords()).map((record) => record.cache)).toEqual([undefined, undefined]);
  });
});

describe('response store invalidation by backend', { timeout: SLOW_MACHINE_MS }, () => {
  const answer = (tags: string[], generations: Record<string, number>): CachedAnswer => ({
    tenant: 'acme',
    result: { content: [{ type: 'text', text: '{}' }], structuredContent: {} },
    tags,
    generations,
  });

  it('drops an answer when a write called a backend it came from, or reported none; keeps it for writes to other backends', async () => {
    const store = memoryResponseStore({ maxEntries: 100, maxBytes: 1_000_000, maxEntryBytes: 100_000 });
    const put = async (key: string, tags: string[]) => {
      const { generations } = await store.lookup(key, 'acme');
      await store.store(key, answer(tags, generations!), 60);
    };
    const cached = async (key: string) => (await store.lookup(key, 'acme')).hit !== undefined;

    await put('from-postgres', ['postgres']);
    await put('from-http', ['http']);
    await put('from-nothing', []);
    await store.invalidate('acme', ['http']);
    expect([await cached('from-postgres'), await cached('from-http'), await cached('from-nothing')]).toEqual([true, false, false]);

    await put('from-http', ['http']);
    await store.invalidate('globex', undefined); // another tenant: nothing of acme's
    expect(await cached('from-http')).toBe(true);
    await store.invalidate('acme', undefined); // a write that reported no backend: all of acme's
    expect([await cached('from-postgres'), await cached('from-http')]).toEqual([false, false]);
  });

  it('never answers a lookup of another tenant with an entry stored under the same key', async () => {
    const store = memoryResponseStore({ maxEntries: 100, maxBytes: 1_000_000, maxEntryBytes: 100_000 });
    const { generations } = await store.lookup('key', 'acme');
    await store.store('key', answer([], generations!), 60);
    expect((await store.lookup('key', 'globex')).hit).toBeUndefined();
  });
});
