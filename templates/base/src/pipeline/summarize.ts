/**
 * Long answers, cut down for the model: a tool result is read by a model with a limited context,
 * so a list keeps its first items (and says how many it left out) and a long string keeps its
 * beginning (and says how much was cut). Backends use it on what an API returns (the http
 * backend's records.ts); the pipeline's response budget (response-budget.ts) uses it on every
 * answer that is larger than its tool's budget.
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

/** A list that was cut: where it is (`records`, `groups[0].members`), how many items it had and kept. */
export interface OmittedItems {
  path: string;
  total: number;
  kept: number;
}

export interface Summary<T> {
  value: T;
  /** Every list that lost items. */
  lists: OmittedItems[];
  /** How many strings were shortened. */
  shortenedStrings: number;
}

/**
 * `value` with every list, at any depth, cut to `maxItems` and every string to `maxStringLength`
 * (Infinity keeps them whole), with what was left out: the same shape, so it still matches a
 * schema that does not demand a minimum number of items or an exact string.
 */
export function summarizeValue<T>(value: T, limits: SummaryLimits): Summary<T> {
  const lists: OmittedItems[] = [];
  let shortenedStrings = 0;
  const walk = (item: unknown, path: string): unknown => {
    if (typeof item === 'string') {
      if (item.length <= limits.maxStringLength) return item;
      shortenedStrings += 1;
      return truncateStrings(item, limits.maxStringLength);
    }
    if (Array.isArray(item)) {
      const kept = item.slice(0, limits.maxItems);
      if (kept.length < item.length) lists.push({ path: path || '(answer)', total: item.length, kept: kept.length });
      return kept.map((entry, index) => walk(entry, `${path}[${index}]`));
    }
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry, path ? `${path}.${key}` : key)]));
    }
    return item;
  };
  return { value: walk(value, '') as T, lists, shortenedStrings };
}

/** The length of the longest list anywhere in `value` (0 when it holds none). */
export function longestList(value: unknown): number {
  // A loop, not Math.max(...items): a list of a million items would overflow the call stack.
  let longest = 0;
  if (Array.isArray(value)) {
    longest = value.length;
    for (const item of value) longest = Math.max(longest, longestList(item));
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) longest = Math.max(longest, longestList(item));
  }
  return longest;
}
