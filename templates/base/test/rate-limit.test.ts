import { randomUUID } from 'node:crypto';

import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';

import { startHarness, textOf, type Harness } from './support/harness.js';
import { createSlowTool, echo, limited, probeTools } from './support/probe-tools.js';
import { eventually } from './support/wait.js';

describe('rate limits', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('limits calls per tenant and tool, and says how long to wait', async () => {
    harness = await startHarness({ tools: probeTools, env: { RATE_LIMIT_TOOL_PER_MINUTE: '2' } });
    for (let i = 0; i < 2; i++) expect((await harness.call(echo.name, { message: `${i}` })).isError).toBeFalsy();
    const limitedResult = await harness.call(echo.name, { message: 'one too many' });
    expect(limitedResult.isError).toBe(true);
    expect(textOf(limitedResult)).toMatch(/^\[rate_limited\] Too many calls to probe\.echo for this tenant\. Retry in \d+ seconds?\.$/);
    // Another tool has its own budget.
    expect((await harness.call(limited.name, {})).isError).toBeFalsy();
  });

  it('limits all calls of a tenant together', async () => {
    harness = await startHarness({ tools: probeTools, env: { RATE_LIMIT_TENANT_PER_MINUTE: '3' } });
    await harness.call(echo.name, { message: 'a' });
    await harness.call(limited.name, {});
    await harness.call(echo.name, { message: 'b' });
    const result = await harness.call(limited.name, {});
    expect(textOf(result)).toMatch(/^\[rate_limited\] Too many calls for this tenant\. Retry in \d+ seconds?\.$/);
  });

  it('honours a tool\'s own limit', async () => {
    harness = await startHarness({ tools: probeTools });
    await harness.call(limited.name, {});
    await harness.call(limited.name, {});
    expect(textOf(await harness.call(limited.name, {}))).toMatch(/^\[rate_limited\]/);
  });

  it('keeps tenants apart: one tenant over its limit does not slow another', async () => {
    harness = await startHarness({ tools: probeTools, tenant: 'acme', env: { RATE_LIMIT_TENANT_PER_MINUTE: '1' } });
    await harness.call(echo.name, { message: 'a' });
    expect(textOf(await harness.call(echo.name, { message: 'b' }))).toMatch(/^\[rate_limited\]/);
    const globex = await harness.connectAs({ tenantId: 'globex' });
    const result = await globex.callTool({ name: echo.name, arguments: { message: 'c' } });
    expect(result.isError).toBeFalsy();
  });
});

describe('rate limits under concurrency', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('lets exactly L of N concurrent calls through, and tells the rest how long to wait', async () => {
    harness = await startHarness({ tools: probeTools, env: { RATE_LIMIT_TOOL_PER_MINUTE: '5' } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => harness!.call(echo.name, { message: `${i}` })));
    expect(results.filter((result) => !result.isError)).toHaveLength(5);
    const refused = results.filter((result) => result.isError);
    expect(refused).toHaveLength(15);
    for (const result of refused) {
      const wait = Number(/Retry in (\d+) seconds?\.$/.exec(textOf(result))?.[1]);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
    }
  });

  it('limits each client of a tenant on its own', async () => {
    harness = await startHarness({ tools: probeTools, env: { RATE_LIMIT_CLIENT_PER_MINUTE: '2' } });
    await harness.call(echo.name, { message: 'a' });
    await harness.call(echo.name, { message: 'b' });
    expect(textOf(await harness.call(echo.name, { message: 'c' }))).toMatch(/^\[rate_limited\] Too many calls from this client \(test-client\)\. Retry in \d+ seconds?\.$/);
    const otherClient = await harness.connectAs({ tenantId: 'acme', clientId: 'other-client' });
    expect((await otherClient.callTool({ name: echo.name, arguments: { message: 'd' } })).isError).toBeFalsy();
  });

  it('caps the calls a tenant runs at once, without holding up other tenants', async () => {
    const slow = createSlowTool();
    // Tenants of this test alone: a shared state store (PostgreSQL with DATABASE_URL, Redis) counts
    // every process's calls of a tenant, as it does across replicas.
    const [tenant, other] = [`acme-${randomUUID()}`, `globex-${randomUUID()}`];
    harness = await startHarness({ tools: [echo, slow.tool], tenant, env: { MAX_CALLS_IN_FLIGHT_PER_TENANT: '1' } });
    const first = harness.call(slow.tool.name, {});
    await slow.running;
    expect(textOf(await harness.call(echo.name, { message: 'second' }))).toBe('[concurrency_limited] Too many calls of this tenant are running at once. Retry in 1 second.');
    const globex = await harness.connectAs({ tenantId: other });
    expect((await globex.callTool({ name: echo.name, arguments: { message: 'other tenant' } })).isError).toBeFalsy();
    slow.release();
    expect((await first).isError).toBeFalsy();
    // The slot is free again: at once in memory; a shared store frees it just after the answer.
    await eventually('the slot to be free again', async () => !(await harness!.call(echo.name, { message: 'after' })).isError);
  });

  it('caps the calls the whole process runs at once', async () => {
    const slow = createSlowTool();
    harness = await startHarness({ tools: [echo, slow.tool], env: { MAX_CALLS_IN_FLIGHT: '1' } });
    const first = harness.call(slow.tool.name, {});
    await slow.running;
    const globex = await harness.connectAs({ tenantId: 'globex' });
    const result = (await globex.callTool({ name: echo.name, arguments: { message: 'x' } })) as CallToolResult;
    expect(textOf(result)).toBe('[server_busy] The server is at capacity. Retry in 1 second.');
    expect(harness.app.concurrency.saturated()).toBe(true);
    slow.release();
    await first;
    expect(harness.app.concurrency.saturated()).toBe(false);
  });
});

describe('rate limits when Redis is unreachable', () => {
  // Nothing listens on port 1: every connection attempt is refused at once.
  const DOWN = { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_TOOL_PER_MINUTE: '2' };
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('fails open to per-process limits by default', async () => {
    harness = await startHarness({ tools: probeTools, env: DOWN });
    expect((await harness.call(echo.name, { message: 'a' })).isError).toBeFalsy();
    expect((await harness.call(echo.name, { message: 'b' })).isError).toBeFalsy();
    expect(textOf(await harness.call(echo.name, { message: 'c' }))).toMatch(/^\[rate_limited\] Too many calls to probe\.echo/);
    const report = await harness.app.readiness();
    expect(report).toMatchObject({ ready: true, degraded: ['redis'], dependencies: { redis: false } });
  });

  it('refuses limited calls with RATE_LIMIT_FAILURE_MODE=closed', async () => {
    harness = await startHarness({ tools: probeTools, env: { ...DOWN, RATE_LIMIT_FAILURE_MODE: 'closed' } });
    expect(textOf(await harness.call(echo.name, { message: 'a' }))).toBe(
      '[limiter_unavailable] Rate limiting is unavailable right now, so calls are paused. Retry in 5 seconds.',
    );
    const report = await harness.app.readiness();
    expect(report).toMatchObject({ ready: false, degraded: [], dependencies: { redis: false } });
  });
});
