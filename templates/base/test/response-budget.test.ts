/**
 * Response budgets, through the real pipeline and a real SDK Client (which checks every
 * structured result against the tool's listed outputSchema): an answer over its tool's budget
 * is cut down to a valid summary marked `truncated`, with a hint how to page; every audit record
 * carries the answer's size and estimated tokens.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { defineTool, image, withContent } from '../src/tool-model/define-tool.js';
import { resultTokens, truncationFields } from '../src/pipeline/response-budget.js';
import { largeList, row, uncuttable, undeclaredList } from './support/cache-probes.js';
import { startHarness, textOf, type Harness } from './support/harness.js';
import { ONE_PIXEL_PNG } from './support/probe-tools.js';

/** Only catches a hang: servers start for real, on CI runners whose cores may all be busy. */
const SLOW_MACHINE_MS = 300_000;

/** largeList without a budget of its own: MAX_RESPONSE_TOKENS applies. */
const defaultBudgetList = defineTool({ ...largeList, name: 'probe.default_budget_list', maxResponseTokens: undefined });
/** largeList with a cache: a hit serves the answer as it was cut. */
const cachedLargeList = defineTool({ ...largeList, name: 'probe.cached_large_list', cache: { ttlSeconds: 3600 } });
/** largeList (budget 2,000) with `images` images after its rows: they count toward the budget and are never cut. */
const illustratedList = defineTool({
  ...largeList,
  name: 'probe.illustrated_list',
  inputSchema: z.object({ count: z.number().int().min(0).max(100_000), images: z.number().int().min(0).max(5) }).strict(),
  handler: (input) => {
    const rows = Array.from({ length: input.count }, (_, index) => row(index));
    return withContent({ rows, total: rows.length }, Array.from({ length: input.images }, () => image(ONE_PIXEL_PNG, 'image/png')));
  },
});
/**
 * An answer shaped as an imported tool's typed one (mcp-gen import openapi): loose objects, a
 * required list, and fields the document does not list, which a cut must keep.
 */
const typedAnswer = defineTool({
  ...largeList,
  name: 'probe.typed_answer',
  outputSchema: z.object({
    status: z.number().int(),
    data: z.looseObject({ items: z.array(z.looseObject({ id: z.number().int(), name: z.string() })), total_count: z.number().int() }).optional(),
    ...truncationFields,
  }),
  handler: (input) => {
    const items = Array.from({ length: input.count }, (_, id) => ({ id, name: `item ${id} `.repeat(80), undocumented: { kept: true } }));
    return { status: 200, data: { items, total_count: items.length, next: 'page-2' } };
  },
});
const TOOLS = [largeList, undeclaredList, uncuttable, defaultBudgetList, cachedLargeList, illustratedList, typedAnswer];

interface Rows {
  rows: Array<{ id: string; title: string }>;
  total: number;
  truncated?: boolean;
  truncationHint?: string;
}

describe('response budget', { timeout: SLOW_MACHINE_MS }, () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  }, SLOW_MACHINE_MS);

  const start = async (env: Record<string, string> = {}) => {
    harness = await startHarness({ tools: TOOLS, scopes: ['probe:read'], env });
    // The client checks structured results against the output schemas it listed.
    await harness.client.listTools();
    return harness;
  };

  it('sends an answer within budget whole, and audits its size and estimated tokens', async () => {
    const { call, auditRecords } = await start();
    const result = await call(largeList.name, { count: 3 });
    expect(result.structuredContent).toEqual({ rows: [row(0), row(1), row(2)], total: 3 });
    const [record] = await auditRecords();
    expect(record).toMatchObject({ outcome: 'ok', responseTokens: resultTokens(result) });
    expect(record?.responseTokens).toBe(Math.ceil(textOf(result).length / 4));
    expect(record).not.toHaveProperty('truncated');
  });

  it('cuts an answer over the tool\'s maxResponseTokens into a valid summary, marked truncated, with a paging hint', async () => {
    const { call, app, auditRecords } = await start();
    const result = await call(largeList.name, { count: 1000, offset: 0 });
    expect(result.isError).toBeFalsy();
    const answer = result.structuredContent as unknown as Rows;
    expect(answer.truncated).toBe(true);
    const kept = answer.rows.length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1000);
    // The first rows, whole, in order; the total still says how many there were.
    expect(answer.rows).toEqual(Array.from({ length: kept }, (_, index) => row(index)));
    expect(answer.total).toBe(1000);
    expect(answer.truncationHint).toContain(`rows: ${kept} of 1000 items`);
    expect(answer.truncationHint).toContain(`offset ${kept}`);
    // What the model reads fits the budget.
    expect(resultTokens(result)).toBeLessThanOrEqual(2_000);
    expect(JSON.parse(textOf(result))).toEqual(answer);

    const [record] = await auditRecords();
    expect(record).toMatchObject({ outcome: 'ok', truncated: true });
    expect(record!.responseTokens).toBeLessThanOrEqual(2_000);
    const { body } = await app.metrics.render();
    expect(body).toMatch(/^mcp_tool_responses_truncated_total\{tool="probe\.large_list"\} 1$/m);
    expect(body).toMatch(/^mcp_tool_response_tokens_count\{tool="probe\.large_list"\} 1$/m);
    expect(body).toMatch(/^mcp_tool_response_bytes_count\{tool="probe\.large_list"\} 1$/m);
  });

  it('puts the marker in a text block of its own when the output schema does not declare it', async () => {
    const { call } = await start();
    const result = await call(undeclaredList.name, { count: 1000 });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).not.toHaveProperty('truncated');
    const rows = (result.structuredContent as { rows: unknown[] }).rows;
    expect(rows.length).toBeLessThan(1000);
    expect(result.content).toHaveLength(2);
    const marker = result.content[1];
    expect(marker?.type).toBe('text');
    expect(JSON.parse(marker?.type === 'text' ? marker.text : '{}')).toEqual({
      truncated: true,
      truncationHint: expect.stringContaining(`rows: ${rows.length} of 1000 items`),
    });
    expect(resultTokens(result)).toBeLessThanOrEqual(2_000);
  });

  it('applies MAX_RESPONSE_TOKENS to tools without a budget of their own', async () => {
    const { call } = await start({ MAX_RESPONSE_TOKENS: '1000' });
    const result = await call(defaultBudgetList.name, { count: 1000 });
    expect((result.structuredContent as unknown as Rows).truncated).toBe(true);
    expect(resultTokens(result)).toBeLessThanOrEqual(1_000);
    // A tool's own maxResponseTokens wins over it.
    const own = await call(largeList.name, { count: 1000 });
    expect(resultTokens(own)).toBeGreaterThan(1_000);
    expect(resultTokens(own)).toBeLessThanOrEqual(2_000);
  });

  it('serves a cut answer from the cache as it was cut, audited as truncated again', async () => {
    const { call, auditRecords } = await start();
    const first = await call(cachedLargeList.name, { count: 1000 });
    const hit = await call(cachedLargeList.name, { count: 1000 });
    expect(hit.structuredContent).toEqual(first.structuredContent);
    expect((await auditRecords()).map((record) => [record.cache, record.truncated])).toEqual([
      ['miss', true],
      ['hit', true],
    ]);
  });

  it('answers response_too_large rather than an invalid result when no cut matches the output schema', async () => {
    const { call, auditRecords } = await start();
    const result: CallToolResult = await call(uncuttable.name, { count: 1000 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^\[response_too_large\] The answer of probe\.uncuttable is larger than its budget of 500 tokens/);
    expect((await auditRecords())[0]).toMatchObject({ outcome: 'error', errorCode: 'response_too_large', truncated: true });
  });

  it('counts added images toward the budget: the rows are cut beside them, the images are kept', async () => {
    const { call } = await start();
    const result = await call(illustratedList.name, { count: 1000, images: 1 });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as unknown as Rows).truncated).toBe(true);
    expect(result.content.map((block) => block.type)).toEqual(['text', 'image']);
    expect(resultTokens(result)).toBeLessThanOrEqual(2_000);
    // Two images alone (about 1,600 tokens each) leave the rows no room.
    const over = await call(illustratedList.name, { count: 10, images: 2 });
    expect(over.isError).toBe(true);
    expect(textOf(over)).toMatch(/^\[response_too_large\]/);
  });

  it('cuts a typed API answer to a summary that still matches it: lists shortened, undocumented fields kept', async () => {
    const { call } = await start();
    const result = await call(typedAnswer.name, { count: 300 });
    expect(result.isError, textOf(result)).toBeFalsy();
    const answer = result.structuredContent as { data: { items: Array<{ id: number; name: string; undocumented: unknown }>; next: string }; truncated: boolean };
    expect(answer.truncated).toBe(true);
    expect(answer.data.items.length).toBeGreaterThan(0);
    expect(answer.data.items.length).toBeLessThan(300);
    expect(answer.data.items[0]).toMatchObject({ id: 0, undocumented: { kept: true } });
    expect(answer.data.next).toBe('page-2');
    expect(typedAnswer.outputSchema.safeParse(answer).success).toBe(true);
  });
});
