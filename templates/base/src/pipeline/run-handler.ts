/**
 * The handler run (stage `handler`, stages.ts): call the tool's handler and check what it
 * returned against its output schema (once: a field the handler's result already proved, an
 * imported tool's checked API answer, is not parsed again, validated-output.ts); or read the
 * resource, or get the prompt's messages.
 *
 * Only a ToolError's message reaches the model. Anything else is logged here, with its stack,
 * and the model gets a short message with a reference to find that log line: no stack traces,
 * SQL or secrets leave the server.
 */
import { isSpecType, type CompleteResult, type InputRequiredResult } from '@modelcontextprotocol/server';
import type { z } from 'zod';

import { isWithContent } from '../tool-model/content.js';
import { isInputQuestion } from '../tool-model/input-requests.js';
import { ToolError } from '../tool-model/tool-error.js';
import type { ToolContext } from '../tool-model/tool-context.js';
import type { CallContext } from './call-context.js';
import { errorResult, okAnswer, okResult, type PipelineResult } from './results.js';
import { checkOutput, markOutputChecked } from './validated-output.js';

export async function runHandler(call: CallContext, ctx: ToolContext): Promise<PipelineResult> {
  let output: unknown;
  try {
    if (call.kind === 'resource') {
      const body = await call.target.read(call.input, { ...ctx, uri: call.uri });
      if (isInputQuestion(body)) return asked(body.result);
      return okAnswer({ contents: [{ uri: call.uri, mimeType: call.target.mimeType, ...body }] });
    }
    if (call.kind === 'prompt') {
      const messages = await call.target.get(call.input, ctx);
      return isInputQuestion(messages) ? asked(messages.result) : okAnswer(messages);
    }
    if (call.kind === 'completion') return okAnswer(await complete(call, ctx));
    output = await call.target.handler(call.input, ctx);
    if (isInputQuestion(output)) return asked(output.result);
  } catch (error) {
    if (error instanceof ToolError) {
      if (error.logged) ctx.log.warn({ code: error.code, ...error.logged }, error.message);
      return errorResult('error', error.code, error.message);
    }
    ctx.log.error({ err: error }, `${call.kind} handler failed`);
    return errorResult('error', 'internal_error', `${call.target.name} failed unexpectedly. Reference: ${ctx.requestId}.`);
  }

  // withContent(result, blocks): the structured result plus blocks sent after its JSON text.
  const structured = isWithContent(output) ? output.structured : output;
  const blocks = isWithContent(output) ? output.blocks : [];
  const checked = checkOutput(call.target.outputSchema as z.ZodObject, structured);
  if (!checked.success) {
    ctx.log.error({ issues: checked.error.issues }, 'tool output does not match its outputSchema');
    return errorResult('error', 'invalid_output', `${call.target.name} produced an invalid result. Reference: ${ctx.requestId}.`);
  }
  const badBlock = blocks.findIndex((block) => !isSpecType.ContentBlock(block));
  if (badBlock !== -1) {
    ctx.log.error({ block: badBlock }, 'tool returned a content block the protocol does not allow');
    return errorResult('error', 'invalid_output', `${call.target.name} produced an invalid result. Reference: ${ctx.requestId}.`);
  }
  return okResult(markOutputChecked(checked.data), blocks);
}

/** The handler asked the client for more (ctx.input.ask): the question is the answer of this round. */
function asked(question: InputRequiredResult): PipelineResult {
  return { outcome: 'input_required', errorCode: null, result: question };
}

/** The spec's limit on suggestions in one answer. */
const MAX_COMPLETIONS = 100;

/** The target's completer for the argument, or no suggestions when it has none. */
async function complete(call: CallContext & { kind: 'completion' }, ctx: ToolContext): Promise<CompleteResult> {
  const { argument, value, context } = call.input as { argument: string; value: string; context: Record<string, string> };
  const completer = call.target.complete?.[argument];
  const values = completer ? [...(await completer(value, { ...ctx, arguments: context }))] : [];
  return { completion: { values: values.slice(0, MAX_COMPLETIONS), total: values.length, hasMore: values.length > MAX_COMPLETIONS } };
}
