/**
 * Structured results the pipeline has checked against their tool's outputSchema (run-handler.ts,
 * response-budget.ts). The SDK checks every result's structuredContent against the schema it was
 * registered with, the same zod schema (server.ts): for an object the pipeline checked and no
 * stage replaced since (redaction makes a new one), that second check is the first one again,
 * so it is skipped. Held weakly: nothing here outlives its result.
 */
const checked = new WeakSet<object>();

/** `value` (zod's output of a successful check) matches its tool's outputSchema. */
export function markOutputChecked<T extends object>(value: T): T {
  checked.add(value);
  return value;
}

export function isOutputChecked(value: unknown): boolean {
  return typeof value === 'object' && value !== null && checked.has(value);
}
