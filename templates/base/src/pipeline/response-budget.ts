/**
 * Stage after the handler: the response budget. No answer may flood the model's context: one
 * larger than its tool's `maxResponseTokens` (default MAX_RESPONSE_TOKENS) is cut down with the
 * shared summarizer (summarize.ts) into a summary of the same shape, marked as truncated, with a
 * hint how to get the rest.
 *
 * Tokens are estimated, not counted: about 4 characters a token, what JSON and English text
 * average with current models' tokenizers. Each model tokenizes differently, and a tokenizer per
 * model is a large dependency for a guard: the budget is a ceiling against floods, not a bill.
 *
 * How a truncated answer still matches the tool's outputSchema (which the SDK checks, and clients
 * may check against the JSON Schema tools/list publishes, where objects admit no extra keys):
 *
 *   - Lists keep their first items and long strings their beginning: the same shape as before.
 *     The candidate is checked against outputSchema; one that fails (a list with a minimum
 *     length, a string with a pattern) is not sent: a smaller cut is tried, and if none passes
 *     the call answers `response_too_large` with the hint, never an invalid result.
 *   - The marker: a tool whose outputSchema declares {@link truncationFields} (the generated
 *     read tools do) gets `truncated: true` and `truncationHint` in structuredContent itself.
 *     A tool that does not declare them keeps its structuredContent as cut and the marker goes in
 *     a second text block, `{"truncated":true,"truncationHint":…}`, which every client shows the
 *     model, so no schema is ever broken by an undeclared key.
 *   - Blocks a handler added with `withContent` (images, audio, resources) count toward the budget
 *     ({@link blockTokens}) but are never cut: the structured result is cut to fit beside them, and
 *     when they alone leave it no room the call answers `response_too_large`.
 */
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/server';
import { z } from 'zod';

import type { AnyTool } from '../tool-model/define-tool.js';
import { errorResult, extraBlocks, okResult, type PipelineResult } from './results.js';
import { checkOutput, markOutputChecked } from './validated-output.js';
import { longestList, summarizeValue, type Summary } from './summarize.js';

/**
 * Spread into a tool's outputSchema (`z.object({ records: …, ...truncationFields })`) to declare
 * how the tool's answers say they were cut down.
 */
export const truncationFields = {
  truncated: z.boolean().optional().describe('true when this answer was cut down to fit the response budget; truncationHint says what is missing'),
  truncationHint: z.string().optional().describe('What was left out of a truncated answer and how to ask for it (narrower arguments, a smaller limit, the next page)'),
};

/** Characters per token of the estimate (see the header). */
const CHARACTERS_PER_TOKEN = 4;

/** The estimated tokens of `text`. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

/**
 * What an image or audio block costs, in tokens: models take media in scaled down (an image costs a
 * current model at most about 1,600 tokens), not as its base64 characters. An estimate, like the rest.
 */
const MEDIA_BLOCK_TOKENS = 1_600;

/** What the model reads of one block: text as text, images and audio at a flat cost, anything else as its JSON. */
export function blockTokens(block: ContentBlock): number {
  if (block.type === 'text') return estimateTokens(block.text);
  if (block.type === 'image' || block.type === 'audio') return MEDIA_BLOCK_TOKENS;
  if (block.type === 'resource' && 'text' in block.resource) return estimateTokens(block.resource.text);
  return estimateTokens(JSON.stringify(block));
}

/** What the model reads of a result: the sum of its blocks ({@link blockTokens}). */
export function resultTokens(result: PipelineResult['result']): number {
  const content = (result as CallToolResult).content;
  if (!Array.isArray(content)) return estimateTokens(JSON.stringify(result));
  let tokens = 0;
  for (const block of content) tokens += blockTokens(block);
  return tokens;
}

const measured = new WeakMap<object, { bytes: number; tokens: number }>();

/** A result's size in bytes and in estimated tokens, measured once (the audit record and the metrics both report it). */
export function responseSize(result: PipelineResult['result']): { bytes: number; tokens: number } {
  let size = measured.get(result);
  if (!size) {
    size = { bytes: Buffer.byteLength(JSON.stringify(result)), tokens: resultTokens(result) };
    measured.set(result, size);
  }
  return size;
}

/** Tokens kept free for the marker and hint when an answer is cut to its budget. */
const HINT_RESERVE_TOKENS = 80;
/** Lengths strings are cut to, in turn, when cutting lists alone is not enough. */
const STRING_LENGTHS = [Number.POSITIVE_INFINITY, 2_000, 500, 100];

export class ResponseBudget {
  constructor(private readonly defaultMaxTokens: number) {}

  /** The budget of `tool`'s answers, in estimated tokens. */
  maxTokens(tool: AnyTool): number {
    return tool.maxResponseTokens ?? this.defaultMaxTokens;
  }

  /**
   * `outcome` as it is when it fits; otherwise cut down (and `truncated`), or a
   * `response_too_large` error when no cut of it matches the tool's outputSchema.
   */
  fit(tool: AnyTool, input: Record<string, unknown>, outcome: PipelineResult): PipelineResult {
    const max = this.maxTokens(tool);
    if (outcome.outcome !== 'ok' || resultTokens(outcome.result) <= max) return outcome;
    const structured = (outcome.result as CallToolResult).structuredContent;
    const shape = (tool.outputSchema as z.ZodObject).shape as Record<string, unknown>;
    const declared = 'truncated' in shape && 'truncationHint' in shape;
    // Blocks a handler added (withContent) are kept whole: only the structured result is cut.
    const extra = extraBlocks(outcome.result);
    const extraTokens = extra.reduce((sum, block) => sum + blockTokens(block), 0);
    const target = max - HINT_RESERVE_TOKENS - extraTokens;
    const fits = (value: unknown) => estimateTokens(JSON.stringify(value)) <= target;

    if (structured !== undefined && target >= 1) {
      const longest = longestList(structured);
      for (const maxStringLength of STRING_LENGTHS) {
        const cut = (maxItems: number) => summarizeValue(structured, { maxItems, maxStringLength });
        if (!fits(cut(0).value)) continue;
        // The most items that fit: binary search, since fewer items never make it larger.
        let low = 0;
        let high = longest;
        while (low < high) {
          const middle = Math.ceil((low + high) / 2);
          if (fits(cut(middle).value)) low = middle;
          else high = middle - 1;
        }
        const summary = cut(low);
        const hint = truncationHint(tool, input, max, summary);
        const candidate = declared ? { ...summary.value, truncated: true, truncationHint: hint } : summary.value;
        const checked = checkOutput(tool.outputSchema as z.ZodObject, candidate);
        if (!checked.success) continue;
        const fitted = okResult(markOutputChecked(checked.data), extra);
        const result = fitted.result as CallToolResult;
        if (!declared) result.content.push({ type: 'text', text: JSON.stringify({ truncated: true, truncationHint: hint }) });
        // The hint's room is an estimate: a long one must not push the answer over its budget.
        if (resultTokens(result) > max) continue;
        return { ...outcome, result, truncated: true };
      }
    }
    return {
      ...errorResult(
        'error',
        'response_too_large',
        `The answer of ${tool.name} is larger than its budget of ${max} tokens and cannot be cut down to fit. ${pagingAdvice(tool, input, undefined)}`,
      ),
      truncated: true,
    };
  }
}

/** What was left out, and how to get it: for the model, in one or two sentences. */
function truncationHint(tool: AnyTool, input: Record<string, unknown>, max: number, summary: Summary<unknown>): string {
  const cut = summary.lists.slice(0, 3);
  const parts = cut.map((list) => `${list.path}: ${list.kept} of ${list.total} items`);
  if (summary.lists.length > cut.length) parts.push(`${summary.lists.length - cut.length} more lists shortened`);
  if (summary.shortenedStrings > 0) parts.push(`${summary.shortenedStrings} long text${summary.shortenedStrings === 1 ? '' : 's'} shortened`);
  const kept = summary.lists[0]?.kept;
  return `Answer cut to fit ${max} tokens (${parts.join('; ') || 'shortened'}). ${pagingAdvice(tool, input, kept)}`;
}

/** Paging advice from the parameters the tool takes. */
function pagingAdvice(tool: AnyTool, input: Record<string, unknown>, kept: number | undefined): string {
  const params = (tool.inputSchema as z.ZodObject).shape as Record<string, unknown>;
  const advice: string[] = [];
  if ('offset' in params && kept !== undefined) {
    const offset = typeof input['offset'] === 'number' ? input['offset'] : 0;
    advice.push(`call again with offset ${offset + kept} for the next items`);
  } else if ('cursor' in params) {
    advice.push('call again with the cursor of this answer for the next items');
  } else if ('page' in params) {
    const page = typeof input['page'] === 'number' ? input['page'] : 1;
    advice.push(`call again with page ${page + 1} for the next items`);
  }
  if ('limit' in params && kept !== undefined) advice.push(`pass limit ${Math.max(1, kept)} or less to get whole answers`);
  advice.push('narrow the arguments to ask for less');
  const sentence = advice.join(', or ');
  return `To see the rest, ${sentence}.`;
}
