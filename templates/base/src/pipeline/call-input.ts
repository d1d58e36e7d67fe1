/**
 * `ctx.input` of one call (tool-model/input-requests.ts): the client's answers on this round,
 * the state the previous round sealed (opened by the handler stage), and ask(), which seals the
 * next round's.
 */
import { acceptedContent, inputRequired, inputResponse } from '@modelcontextprotocol/server';

import type { Principal } from '../auth/principal.js';
import { inputKindOf, inputQuestion, type CallInput } from '../tool-model/input-requests.js';
import { ToolError } from '../tool-model/tool-error.js';
import type { CallContext } from './call-context.js';
import { canAnswer, canAnswerKind } from './client-capabilities.js';
import type { InputStates } from './input-states.js';

/** What a sealed state belongs to, besides the caller: `tool search_customers`. */
export function inputTarget(call: CallContext): string {
  return `${call.kind} ${call.target.name}`;
}

export function callInputOf(call: CallContext, caller: Principal, states: InputStates, opened: unknown): CallInput {
  const { inputResponses, clientCapabilities } = call.request;
  return {
    canAsk: (kind) => canAnswerKind(clientCapabilities, kind),
    accepted: (key, schema) => acceptedContent(inputResponses, key, schema),
    response: (key) => inputResponse(inputResponses, key),
    state: <T>() => opened as T | undefined,
    async ask(questions, state) {
      // Its retry carries the approval's requestState, which this round's would replace.
      if (call.kind === 'tool' && call.target.approval === 'client') {
        throw new Error(`${call.target.name} has approval "client", whose confirmation is the call's question: its handler cannot ask another`);
      }
      const cannot = [...new Set(Object.values(questions).filter((question) => !canAnswer(clientCapabilities, question)).map(inputKindOf))];
      if (cannot.length > 0) {
        throw new ToolError('input_unavailable', `${call.target.name} needs to ask the client (${cannot.join(', ')}), and this client cannot answer that. Use a client that supports it.`);
      }
      const requestState = state === undefined ? undefined : await states.seal(state, caller, inputTarget(call));
      return inputQuestion(inputRequired({ inputRequests: questions, ...(requestState ? { requestState } : {}) }));
    },
  };
}
