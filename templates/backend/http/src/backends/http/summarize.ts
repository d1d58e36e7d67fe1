/**
 * Long API answers, cut down for the model: a tool result is read by a model with a limited
 * context, so a list keeps its first items (and says how many it left out) and a long string
 * keeps its beginning (and says how much was cut).
 */

export interface SummaryLimits {
  /** Items kept from a list. */
  maxItems: number;
  /** Characters kept from any one string. */
  maxStringLength: number;
}

export const DEFAULT_SUMMARY_LIMITS: SummaryLimits = { maxItems: 50, maxStringLength: 500 };

/** The first `maxItems` items, each with its strings shortened, and how many were left out. */
export function summarizeList<T>(items: readonly T[], limits: SummaryLimits = DEFAULT_SUMMARY_LIMITS): { items: T[]; omitted: number } {
  const kept = items.slice(0, limits.maxItems).map((item) => truncateStrings(item, limits.maxStringLength));
  return { items: kept, omitted: items.length - kept.length };
}

/** A copy of `value` in which every string longer than `maxLength` ends with `… [N more characters]`. */
export function truncateStrings<T>(value: T, maxLength: number): T {
  if (typeof value === 'string') {
    return (value.length > maxLength ? `${value.slice(0, maxLength)}… [${value.length - maxLength} more characters]` : value) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => truncateStrings(item, maxLength)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, truncateStrings(item, maxLength)])) as T;
  }
  return value;
}
