/**
 * Input validation (stage `validate-input`, stages.ts): validate the arguments against the tool's zod input schema
 * (a prompt's against its arguments, a resource's URI variables against its variables).
 *
 * The SDK would do this itself before the handler, but then a rejected call would never reach
 * the pipeline and could not be audited; server.ts therefore advertises the schema to the SDK
 * without letting it validate, and validation happens here. The message mirrors the SDK's.
 *
 * `swallowedKeys`: keys the client sent that never made it into `args` (`__proto__`, see
 * swallowed-keys.ts). No schema can declare them, so they are refused as unknown keys.
 */
import type { z } from 'zod';

import type { CallContext } from './call-context.js';
import { errorResult, type PipelineResult } from './results.js';

export type ValidatedInput = { ok: true; input: Record<string, unknown> } | { ok: false; rejection: PipelineResult };

export function validateInput(call: CallContext, swallowedKeys: readonly string[] = []): ValidatedInput {
  if (call.kind === 'completion') return validateCompletion(call);
  const [what, schema]: [string, z.ZodObject] =
    call.kind === 'tool'
      ? ['arguments for tool', call.target.inputSchema]
      : call.kind === 'resource'
        ? ['URI variables for resource', call.target.variables]
        : ['arguments for prompt', call.target.arguments];
  const parsed = schema.safeParse(call.args ?? {});
  if (parsed.success && swallowedKeys.length === 0) return { ok: true, input: parsed.data };
  const issues = parsed.success ? [] : parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message));
  if (swallowedKeys.length > 0) issues.unshift(`Unrecognized key${swallowedKeys.length > 1 ? 's' : ''}: ${swallowedKeys.map((key) => JSON.stringify(key)).join(', ')}`);
  const problems = issues.join(', ');
  return {
    ok: false,
    rejection: errorResult('invalid', 'invalid_arguments', `Invalid ${what} ${call.target.name}: ${problems}`),
  };
}

/** At most this many characters typed so far: a completion is a prefix, not a document. */
const MAX_COMPLETION_VALUE = 1_000;

/** A completion names one of the target's arguments (variables) and what was typed so far. */
function validateCompletion(call: CallContext & { kind: 'completion' }): ValidatedInput {
  const { argument, value, context } = (call.args ?? {}) as { argument?: unknown; value?: unknown; context?: unknown };
  const names = Object.keys(('read' in call.target ? call.target.variables : call.target.arguments).shape);
  const problem =
    typeof argument !== 'string' || !names.includes(argument)
      ? `argument: ${JSON.stringify(argument)} is not one of ${names.join(', ') || 'nothing: it takes none'}`
      : typeof value !== 'string' || value.length > MAX_COMPLETION_VALUE
        ? `value: must be text of at most ${MAX_COMPLETION_VALUE} characters`
        : undefined;
  if (problem) return { ok: false, rejection: errorResult('invalid', 'invalid_arguments', `Invalid completion for ${call.target.name}: ${problem}`) };
  const filled = Object.fromEntries(Object.entries(context && typeof context === 'object' ? context : {}).filter(([, v]) => typeof v === 'string'));
  return { ok: true, input: { argument, value, context: filled } };
}
