/**
 * No write repeated by accident, and readiness that tells the truth, through the whole server: a
 * write tool the user confirms, called by a real SDK Client, against the sample API made to
 * ignore Idempotency-Key (as most internal APIs do) and to misbehave: slow, flapping, resetting,
 * failing. Each confirmed call reaches the API exactly once; when the API may have applied it
 * without saying so, the tool result and the audit record say the outcome is unknown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { createRecord, recordSchema, searchRecords } from '../src/backends/http/records.js';
import { defineTool } from '../src/tool-model/define-tool.js';
import { CONFIRM_YES, startHarness, textOf, type Harness } from './support/harness.js';

/** A refund as most generated write tools make it: one POST, the request id as Idempotency-Key. */
function refundTool(name: string, idempotent: boolean) {
  return defineTool({
    name,
    version: '1.0.0',
    title: 'Refund an invoice',
    description: 'Refunds an invoice (a POST to the API).',
    access: 'write',
    scopes: ['probe:write'],
    approval: 'client',
    inputSchema: z.object({ invoice: z.string() }),
    outputSchema: z.object({ record: recordSchema }),
    handler: async (input, ctx) => ({
      record: await createRecord(ctx.backends.http, { kind: 'note', title: `refund ${input.invoice}` }, ctx.requestId, { idempotent }),
    }),
  });
}
const refund = refundTool('probe.refund_invoice', false);
/** The same, from a tool that opted in to retries (SAFE_TO_RETRY in a generated tool). */
const retryingRefund = refundTool('probe.refund_invoice_retrying', true);
const search = defineTool({
  name: 'probe.search_refunds',
  version: '1.0.0',
  title: 'Search refunds',
  description: 'Searches the API (a GET).',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({}),
  outputSchema: z.object({ total: z.number() }),
  handler: async (_input, ctx) => ({ total: (await searchRecords(ctx.backends.http, { text: 'refund' })).total }),
});
const tools = [refund, retryingRefund, search];

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A harness whose sample API ignores Idempotency-Key; the breaker stays out of the way unless `env` says otherwise. */
async function start(env: Record<string, string> = {}): Promise<Harness> {
  harness = await startHarness({ tools, confirm: CONFIRM_YES, env: { HTTP_API_TIMEOUT_MS: '3000', HTTP_API_BREAKER_THRESHOLD: '1000', ...env } });
  harness.testBackends.sampleApi.honoursIdempotencyKey = false;
  return harness;
}

const posts = (h: Harness) => h.testBackends.sampleApi.count('POST', '/v1/records');

/** Records of acme the API holds for `invoice`, read past any fault. */
async function refundsOf(h: Harness, invoice: string): Promise<number> {
  const fault = h.testBackends.sampleApi.fault;
  h.testBackends.sampleApi.fault = undefined;
  try {
    const found = await searchRecords(h.app.backends.forTenant('acme').http, { text: `refund ${invoice}` });
    return found.records.filter((r) => r.title === `refund ${invoice}`).length;
  } finally {
    h.testBackends.sampleApi.fault = fault;
  }
}

/** Polls `check` until it holds; the bound only catches a hang. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const giveUp = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > giveUp) throw new Error('still not true after 120 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('http writes: exactly one attempt', () => {
  it('sends one POST per confirmed write to a slow API, and says the outcome is unknown', async () => {
    const h = await start();
    h.testBackends.sampleApi.fault = 'slow';
    const result = await h.call(refund.name, { invoice: 'inv_slow' });
    expect(posts(h)).toBe(1);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      '[outcome_unknown] The API did not answer in time, so it is not known whether the change was made. Check its current state before calling this tool again: a repeated call may make the change twice.',
    );
    // It was made: the API did the work and lost the answer. One refund, not three.
    expect(await refundsOf(h, 'inv_slow')).toBe(1);
    const record = (await h.auditRecords()).filter((r) => r.tool === refund.name).at(-1);
    expect(record).toMatchObject({ outcome: 'error', errorCode: 'outcome_unknown' });
    expect(record?.backendCalls).toMatchObject([{ backend: 'http', operation: 'POST', outcome: 'error', errorCode: 'outcome_unknown', attempts: 1 }]);
  });

  it('sends one POST per confirmed write to an API answering 503 every other call', async () => {
    const h = await start();
    h.testBackends.sampleApi.fault = 'flapping';
    const texts: string[] = [];
    for (let i = 1; i <= 4; i += 1) {
      const result = await h.call(refund.name, { invoice: `inv_flap_${i}` });
      texts.push(result.isError ? textOf(result) : 'ok');
      expect(posts(h)).toBe(i);
    }
    // The 503s said nothing was done: a plain failure the model may retry.
    expect(texts).toEqual(['[unavailable] The API failed to answer (HTTP 503). Retry shortly.', 'ok', '[unavailable] The API failed to answer (HTTP 503). Retry shortly.', 'ok']);
    // The records of the confirmed calls (each confirmation question has its own record too).
    const records = (await h.auditRecords()).filter((r) => r.tool === refund.name && r.backendCalls.length > 0);
    expect(records.map((r) => r.errorCode)).toEqual(['unavailable', null, 'unavailable', null]);
    expect(records.flatMap((r) => r.backendCalls).map((c) => c.attempts)).toEqual([1, 1, 1, 1]);
  });

  it('sends one POST per confirmed write to an API that resets the connection, and says the outcome is unknown', async () => {
    const h = await start();
    h.testBackends.sampleApi.fault = 'reset';
    const result = await h.call(refund.name, { invoice: 'inv_reset' });
    expect(posts(h)).toBe(1);
    expect(textOf(result)).toMatch(/^\[outcome_unknown\] The connection to the API was lost after the request was sent, so it is not known whether the change was made\./);
    expect(await refundsOf(h, 'inv_reset')).toBe(1);
    const record = (await h.auditRecords()).filter((r) => r.tool === refund.name).at(-1);
    expect(record).toMatchObject({ outcome: 'error', errorCode: 'outcome_unknown' });
    expect(record?.backendCalls).toMatchObject([{ operation: 'POST', errorCode: 'outcome_unknown', attempts: 1 }]);
  });

  it('retries a write only where it is declared safe: per tool, or per backend with HTTP_API_HONOURS_IDEMPOTENCY_KEY', async () => {
    let h = await start();
    h.testBackends.sampleApi.fault = 'flapping';
    const optedIn = await h.call(retryingRefund.name, { invoice: 'inv_tool' });
    expect(optedIn.isError, textOf(optedIn)).toBeFalsy();
    expect(posts(h)).toBe(2);
    expect((await h.auditRecords()).at(-1)?.backendCalls).toMatchObject([{ operation: 'POST', outcome: 'ok', attempts: 2 }]);
    await h.close();

    // The operator vouches that the API applies a repeated Idempotency-Key once.
    h = await start({ HTTP_API_HONOURS_IDEMPOTENCY_KEY: 'true' });
    h.testBackends.sampleApi.honoursIdempotencyKey = true;
    h.testBackends.sampleApi.fault = 'flapping';
    const keyed = await h.call(refund.name, { invoice: 'inv_backend' });
    expect(keyed.isError, textOf(keyed)).toBeFalsy();
    expect(posts(h)).toBe(2);
    expect(new Set(h.testBackends.sampleApi.requests.filter((r) => r.method === 'POST').map((r) => r.idempotencyKey)).size).toBe(1);
    expect(await refundsOf(h, 'inv_backend')).toBe(1);
  });
});

describe('http readiness', () => {
  it('is not ready for as long as the API fails, past the half-open delay; ready, and serving, once it answers', async () => {
    const h = await start({ HTTP_API_RETRIES: '0', HTTP_API_BREAKER_THRESHOLD: '2', HTTP_API_BREAKER_HALF_OPEN_MS: '300' });
    expect(await h.app.readiness()).toMatchObject({ ready: true, backends: { http: true } });
    h.testBackends.sampleApi.fault = 'failing';
    for (let i = 0; i < 2; i += 1) expect(textOf(await h.call(search.name))).toMatch(/^\[unavailable\] /);
    expect(await h.app.readiness()).toMatchObject({ ready: false, backends: { http: false } });
    // Well past the half-open delay, with no traffic: the API still fails, so still not ready.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(await h.app.readiness()).toMatchObject({ ready: false, backends: { http: false } });

    h.testBackends.sampleApi.fault = undefined;
    await eventually(async () => (await h.app.readiness()).ready);
    const served = await h.call(search.name);
    expect(served.isError, textOf(served)).toBeFalsy();
  }, 180_000);
});
