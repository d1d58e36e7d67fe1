/**
 * Input validation (stage `validate-input`, stages.ts): validate the arguments against the tool's zod input schema.
 *
 * The SDK would do this itself before the handler, but then a rejected call would never reach
 * the pipeline and could not be audited; server.ts therefore advertises the schema to the SDK
 * without letting it validate, and validation happens here. The message mirrors the SDK's.
 *
 * `swallowedKeys`: keys the client sent that never made it into `args` (`__proto__`, see
 * swallowed-keys.ts). No schema can declare them, so they are refused as unknown keys.
 */
import type { z } from 'zod';

import type { AnyTool } from '../tool-model/define-tool.js';
import { errorResult, type PipelineResult } from './results.js';

export type ValidatedInput = { ok: true; input: Record<string, unknown> } | { ok: false; rejection: PipelineResult };

export function validateInput(tool: AnyTool, args: unknown, swallowedKeys: readonly string[] = []): ValidatedInput {
  const parsed = (tool.inputSchema as z.ZodObject).safeParse(args ?? {});
  if (parsed.success && swallowedKeys.length === 0) return { ok: true, input: parsed.data };
  const issues = parsed.success ? [] : parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message));
  if (swallowedKeys.length > 0) issues.unshift(`Unrecognized key${swallowedKeys.length > 1 ? 's' : ''}: ${swallowedKeys.map((key) => JSON.stringify(key)).join(', ')}`);
  const problems = issues.join(', ');
  return {
    ok: false,
    rejection: errorResult('invalid', 'invalid_arguments', `Invalid arguments for tool ${tool.name}: ${problems}`),
  };
}
