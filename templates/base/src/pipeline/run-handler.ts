/**
 * The handler run (stage `handler`, stages.ts): call the handler, then check what it returned against the tool's output schema.
 *
 * Only a ToolError's message reaches the model. Anything else is logged here, with its stack,
 * and the model gets a short message with a reference to find that log line: no stack traces,
 * SQL or secrets leave the server.
 */
import { isSpecType } from '@modelcontextprotocol/server';
import type { z } from 'zod';

import { isWithContent } from '../tool-model/content.js';
import { ToolError, type AnyTool, type ToolContext } from '../tool-model/define-tool.js';
import { errorResult, okResult, type PipelineResult } from './results.js';

export async function runHandler(tool: AnyTool, input: Record<string, unknown>, ctx: ToolContext): Promise<PipelineResult> {
  let output: unknown;
  try {
    output = await tool.handler(input, ctx);
  } catch (error) {
    if (error instanceof ToolError) return errorResult('error', error.code, error.message);
    ctx.log.error({ err: error }, 'tool handler failed');
    return errorResult('error', 'internal_error', `${tool.name} failed unexpectedly. Reference: ${ctx.requestId}.`);
  }

  // withContent(result, blocks): the structured result plus blocks sent after its JSON text.
  const structured = isWithContent(output) ? output.structured : output;
  const blocks = isWithContent(output) ? output.blocks : [];
  const checked = (tool.outputSchema as z.ZodObject).safeParse(structured);
  if (!checked.success) {
    ctx.log.error({ issues: checked.error.issues }, 'tool output does not match its outputSchema');
    return errorResult('error', 'invalid_output', `${tool.name} produced an invalid result. Reference: ${ctx.requestId}.`);
  }
  const badBlock = blocks.findIndex((block) => !isSpecType.ContentBlock(block));
  if (badBlock !== -1) {
    ctx.log.error({ block: badBlock }, 'tool returned a content block the protocol does not allow');
    return errorResult('error', 'invalid_output', `${tool.name} produced an invalid result. Reference: ${ctx.requestId}.`);
  }
  return okResult(checked.data, blocks);
}
