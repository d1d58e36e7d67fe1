/**
 * Argument keys the SDK would drop without a trace. JSON.parse keeps `"__proto__"` as an own
 * key, but the SDK rebuilds `arguments` by assignment before a tool sees them, and assigning
 * `__proto__` sets the object's prototype instead of adding a key: the argument vanishes, so a
 * strict input schema, which refuses every other unknown key (`constructor` included), never
 * sees it. The transports read the raw JSON-RPC message before the SDK does and note such keys
 * in the call's `_meta`; validate-input refuses the call like any other unknown key.
 */

/** The `_meta` entry the transports set (and overwrite, so a client cannot forge or hide it). */
export const SWALLOWED_KEYS_META = 'create-mcp-server/swallowed-argument-keys';

const SWALLOWED = ['__proto__'] as const;

/**
 * Notes, on each tools/call of a raw JSON-RPC message (or batch) as JSON.parse made it, the
 * argument keys the SDK would swallow. Changes the message in place; anything else is left alone.
 */
export function noteSwallowedArgumentKeys(message: unknown): void {
  for (const each of Array.isArray(message) ? message : [message]) {
    if (typeof each !== 'object' || each === null || (each as { method?: unknown }).method !== 'tools/call') continue;
    const params = (each as { params?: unknown }).params;
    if (typeof params !== 'object' || params === null) continue;
    const { arguments: args, _meta: meta } = params as { arguments?: unknown; _meta?: unknown };
    const found = typeof args === 'object' && args !== null ? SWALLOWED.filter((key) => Object.hasOwn(args, key)) : [];
    const metaObject = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined;
    if (found.length > 0) {
      (params as { _meta?: unknown })._meta = { ...metaObject, [SWALLOWED_KEYS_META]: found };
    } else if (metaObject && SWALLOWED_KEYS_META in metaObject) {
      delete metaObject[SWALLOWED_KEYS_META];
    }
  }
}

/** The keys noted on a call (read from the `_meta` the SDK hands the tool handler). */
export function swallowedArgumentKeys(meta: Record<string, unknown> | undefined): string[] {
  const noted = meta?.[SWALLOWED_KEYS_META];
  return Array.isArray(noted) ? noted.filter((key): key is string => typeof key === 'string') : [];
}
