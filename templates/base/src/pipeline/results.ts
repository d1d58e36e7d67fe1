/**
 * The tool results the pipeline itself produces. Errors are ordinary results with `isError`, so
 * the model reads them and can react (retry later, ask for a scope, fix an argument); the text
 * starts with a stable code in brackets that clients and tests can match on.
 */
import type { CallToolResult, CompleteResult, ContentBlock, GetPromptResult, InputRequiredResult, ReadResourceResult } from '@modelcontextprotocol/server';

/**
 * Every outcome an audit record can carry. `pending_approval`: the call waits for the user's
 * confirmation or an approver; `approval_granted` / `approval_denied`: an approver's decision;
 * `input_required`: the handler asked the client for more (ctx.input.ask) and the call comes back
 * with the answers.
 */
export type Outcome = 'ok' | 'error' | 'invalid' | 'denied' | 'rate_limited' | 'pending_approval' | 'approval_granted' | 'approval_denied' | 'input_required';

/** What the approval gate decided about a call (or an approver about a parked one), for the audit record. */
export interface ApprovalRecord {
  mode: 'client' | 'human';
  /** The parked call's id (`human`); null for `client`. */
  id: string | null;
  decision:
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'granted'
    | 'denied'
    | 'pending'
    | 'unavailable'
    | 'invalid'
    | 'mismatch'
    | 'replayed'
    | 'used'
    | 'expired'
    | 'not_found'
    | 'limit';
  /** The approver's subject, once a human decided. */
  decidedBy: string | null;
}

export interface PipelineResult {
  outcome: Outcome;
  errorCode: string | null;
  /**
   * A tool result, or the question the client must answer first (approval `client`, ctx.input.ask); a resource's
   * contents or a prompt's messages when ok (refused or failed, they are tool-style error results,
   * which the server answers as protocol errors: server.ts).
   */
  result: CallToolResult | InputRequiredResult | ReadResourceResult | GetPromptResult | CompleteResult;
  approval?: ApprovalRecord | undefined;
  /** The answer was cut down to its tool's response budget (response-budget.ts). */
  truncated?: boolean | undefined;
  /** Tools with a cache: served from it (`hit`) or not (`miss`); write tools: `invalidated` the tenant's cached answers. */
  cache?: CacheOutcome | undefined;
}

export type CacheOutcome = 'hit' | 'miss' | 'invalidated';

/**
 * A structured result: its JSON as the first text block, then `extra` (the blocks a handler added
 * with `withContent`, tool-model/content.ts). Code that cuts or rewrites results relies on that order.
 */
export function okResult(structuredContent: Record<string, unknown>, extra: readonly ContentBlock[] = []): PipelineResult {
  return {
    outcome: 'ok',
    errorCode: null,
    result: {
      // The spec says a structured result SHOULD also be given as text, for clients that only read text.
      content: [{ type: 'text', text: JSON.stringify(structuredContent) }, ...extra],
      structuredContent,
    },
  };
}

/** The blocks a structured result carries after its JSON text (okResult). */
export function extraBlocks(result: PipelineResult['result']): ContentBlock[] {
  const content = (result as CallToolResult).content;
  return Array.isArray(content) && (result as CallToolResult).structuredContent !== undefined ? content.slice(1) : [];
}

/** A resource read's, a prompt get's or a completion's answer. */
export function okAnswer(result: ReadResourceResult | GetPromptResult | CompleteResult): PipelineResult {
  return { outcome: 'ok', errorCode: null, result };
}

export function errorResult(outcome: Exclude<Outcome, 'ok'>, errorCode: string, message: string, approval?: ApprovalRecord): PipelineResult {
  return {
    outcome,
    errorCode,
    result: { content: [{ type: 'text', text: `[${errorCode}] ${message}` }], isError: true },
    ...(approval ? { approval } : {}),
  };
}
