/**
 * Asking the client for more in the middle of a call: the user fills a form, the client's model
 * writes a message, the client lists its roots. A handler returns `ctx.input.ask({...})` instead
 * of its result; the client answers and calls again with the same arguments and the answers; the
 * handler runs again from the start and reads them through `ctx.input`. Each round is a call of
 * its own: authorized, rate-limited and audited (the asking round as `input_required`).
 *
 * The server keeps nothing between rounds: what a handler wants to carry over it passes to
 * `ask()` as `state`, which comes back signed by this server for this caller and this tool,
 * resource or prompt, so a client cannot forge or move it (MCP_APPROVAL_STATE_KEY; every replica
 * needs the same). The client's answers are its own words: validate them like any input.
 */
import { inputRequired, type InputRequest, type InputRequiredResult, type InputResponseView, type StandardSchemaV1 } from '@modelcontextprotocol/server';

export type { InputRequest, InputResponseView } from '@modelcontextprotocol/server';

/** A form for the user (`requestedSchema`: a flat object of strings, numbers, booleans and enums). */
export const elicit = inputRequired.elicit;
/** A message from the client's model (`messages`, `maxTokens`): the client decides which model, and may ask its user first. */
export const sample = inputRequired.createMessage;
/** The client's roots: the folders or workspaces it shares. */
export const listRoots = inputRequired.listRoots;

/** What a client must have declared to answer a question: `elicitation`, `sampling` or `roots`. */
export type InputKind = 'elicitation' | 'sampling' | 'roots';

export interface CallInput {
  /** Whether the client declared, on this call, that it can answer this kind of question. */
  canAsk(kind: InputKind): boolean;
  /** The user's accepted form answer to question `key`, checked by `schema`; undefined when not answered, declined, cancelled or not matching. */
  accepted<S extends StandardSchemaV1>(key: string, schema: S): StandardSchemaV1.InferOutput<S> | undefined;
  /** The answer to question `key` of any kind (a form's, a sampled message, roots), or `{ kind: 'missing' }`. */
  response(key: string): InputResponseView;
  /** What the previous round passed to ask() as `state`; undefined on a first round. */
  state<T = unknown>(): T | undefined;
  /**
   * The question to return from the handler: `return ctx.input.ask({ confirm: elicit({...}) }, state)`.
   * Throws a ToolError (`input_unavailable`) when the client cannot answer one of them: check
   * `canAsk` first where the call can go on without.
   */
  ask(questions: Record<string, InputRequest>, state?: unknown): Promise<InputQuestion>;
}

const QUESTION = Symbol('input question');

/** What `ctx.input.ask` returns and a handler returns in place of its result. */
export interface InputQuestion {
  readonly [QUESTION]: true;
  readonly result: InputRequiredResult;
}

export function inputQuestion(result: InputRequiredResult): InputQuestion {
  return { [QUESTION]: true, result };
}

export function isInputQuestion(value: unknown): value is InputQuestion {
  return typeof value === 'object' && value !== null && QUESTION in value;
}

/** The capability a question needs, from its method. */
export function inputKindOf(question: InputRequest): InputKind {
  if (question.method === 'sampling/createMessage') return 'sampling';
  if (question.method === 'roots/list') return 'roots';
  return 'elicitation';
}
