/**
 * Turns validation problems into what a person reads: one line per problem naming the
 * field, the value and what is allowed.
 */
import type { z } from 'zod';
import { UserError } from '../user-error.js';

/** Input refused: one line per problem, exit 2, nothing written. */
export class SpecError extends UserError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'), { hint: 'Nothing was written.' });
  }

  override lines(): string[] {
    return [...this.problems.map((line) => `error: ${line}`), this.hint!];
  }
}

/** `tools[2].params[0].type` from `['tools', 2, 'params', 0, 'type']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(spec)';
}

/** Names a field for the reader, e.g. `--transport` when the value came from that flag. */
export type FieldLabeler = (path: readonly PropertyKey[]) => string;

export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown, label: FieldLabeler = formatPath): string[] {
  return issues.map((issue) => {
    const field = label(issue.path);
    const value = valueAt(input, issue.path);
    switch (issue.code) {
      case 'invalid_value':
        return `${field}: ${show(value)} is not allowed; expected one of ${issue.values.map((v) => String(v)).join(', ')}`;
      case 'unrecognized_keys':
        return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      case 'invalid_type':
        return value === undefined
          ? `${field}: is required (${issue.expected})`
          : `${field}: ${show(value)} is not allowed; expected ${issue.expected}`;
      case 'too_small':
      case 'too_big':
        // A list's size, not its items: a spec's tools can run to hundreds.
        if (Array.isArray(value)) return `${field}: ${value.length} ${value.length === 1 ? 'item' : 'items'}; expected ${issue.code === 'too_big' ? `at most ${String(issue.maximum)}` : `at least ${String(issue.minimum)}`}`;
        return `${field}: ${show(value)} ${issue.message}`;
      case 'invalid_format':
        return `${field}: ${show(value)} ${issue.message.replace(/^Invalid string: /, '')}`;
      default:
        return value === undefined || issue.code === 'custom' ? `${field}: ${issue.message}` : `${field}: ${show(value)} ${issue.message}`;
    }
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
