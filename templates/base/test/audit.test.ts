import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startHarness, textOf, type Harness } from './support/harness.js';
import { echo, leaky, probeTools } from './support/probe-tools.js';

describe('audit log', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({
      tools: probeTools,
      tenant: 'acme',
      subject: 'alice',
      scopes: ['probe:read'],
      env: { RATE_LIMIT_TOOL_PER_MINUTE: '3' },
    });
  });
  afterEach(() => harness.close());

  it('writes one record per call, whatever the outcome', async () => {
    await harness.call(echo.name, { message: 'hello' }); // ok
    await harness.call(echo.name, { message: 42 }); // invalid
    await harness.call(leaky.name, {}); // denied: probe:write is missing
    await harness.call('probe.not_found', { id: 'x' }); // error
    await harness.call(echo.name, { message: 'again' }); // ok (3rd call to echo: still within 3/min)
    await harness.call(echo.name, { message: 'too many' }); // rate_limited

    const records = await harness.auditRecords();
    expect(records.map((record) => [record.tool, record.outcome, record.errorCode])).toEqual([
      ['probe.echo', 'ok', null],
      ['probe.echo', 'invalid', 'invalid_arguments'],
      ['probe.leaky', 'denied', 'forbidden'],
      ['probe.not_found', 'error', 'not_found'],
      ['probe.echo', 'ok', null],
      ['probe.echo', 'rate_limited', 'rate_limited'],
    ]);
  });

  it('records who, what, how long and how big', async () => {
    const result = await harness.call(echo.name, { message: 'hello' });
    const [record] = await harness.auditRecords();
    expect(record).toMatchObject({
      tenant: 'acme',
      subject: 'alice',
      clientId: 'test-client',
      tool: 'probe.echo',
      toolVersion: '1.0.0',
      arguments: { message: 'hello' },
      outcome: 'ok',
      errorCode: null,
      approval: null,
      responseBytes: Buffer.byteLength(JSON.stringify({ content: result.content, structuredContent: result.structuredContent })),
      // About 4 characters a token, of the text the model reads.
      responseTokens: Math.ceil(textOf(result).length / 4),
      // probe.echo reaches no backend; tools that do list each call (backend, operation, latency).
      backendCalls: [],
    });
    expect(Object.keys(record ?? {})).toEqual([
      'time',
      'requestId',
      'traceId',
      'tenant',
      'subject',
      'clientId',
      'tool',
      'toolVersion',
      'arguments',
      'outcome',
      'errorCode',
      'approval',
      'latencyMs',
      'responseBytes',
      'responseTokens',
      'backendCalls',
      'chain',
      'seq',
      'prevHash',
      'hash',
    ]);
    expect(Date.parse(record?.time ?? '')).not.toBeNaN();
    expect(record?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(record?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('gives every call its own request id', async () => {
    await harness.call(echo.name, { message: 'one' });
    await harness.call(echo.name, { message: 'two' });
    const [first, second] = await harness.auditRecords();
    expect(first?.requestId).not.toEqual(second?.requestId);
  });
});
