/**
 * What an approval is bound to: one tool, at one contract version, with exactly these arguments.
 * Two calls have the same fingerprint only if they would do the same thing, whatever order their
 * arguments' keys arrived in.
 */
import { createHash } from 'node:crypto';

export function callFingerprint(tool: { name: string; version: string }, args: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson([tool.name, tool.version, args])).digest('hex');
}

/**
 * SHA-256 of the arguments alone (keys sorted): what an approver, who sees them redacted, can
 * compare with the caller's own copy to know exactly which values will be used.
 */
export function argumentsHash(args: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(args)).digest('hex');
}

/** JSON with object keys sorted at every depth: the same value whatever order its keys came in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
