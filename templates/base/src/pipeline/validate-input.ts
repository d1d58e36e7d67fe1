/**
 * Stage 3: validate the arguments against the tool's zod input schema.
 *
 * The SDK would do this itself before the handler, but then a rejected call would never reach
 * the pipeline and could not be audited; server.ts therefore advertises the schema to the SDK
 * without letting it validate, and validation happens here. The message mirrors the SDK's.
 */
import type { z } from 'zod';

import type { AnyTool } from './define-tool.js';
import { errorResult, type PipelineResult } from './results.js';

export type ValidatedInput = { ok: true; input: Record<string, unknown> } | { ok: false; rejection: PipelineResult };

export function validateInput(tool: AnyTool, args: unknown): ValidatedInput {
  const parsed = (tool.inputSchema as z.ZodObject).safeParse(args ?? {});
  if (parsed.success) return { ok: true, input: parsed.data };
  const problems = parsed.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join(', ');
  return {
    ok: false,
    rejection: errorResult('invalid', 'invalid_arguments', `Invalid arguments for tool ${tool.name}: ${problems}`),
  };
}
