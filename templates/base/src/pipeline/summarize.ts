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
 *
 * Copy on write: a list or object comes back as the very same one unless something inside it was
 * cut, so an answer within the limits (most of them) is returned as it is, without a copy, and a
 * cut one shares every part that was not cut. A path is spelled only for a list that lost items.
 */
export function summarizeValue<T>(value: T, limits: SummaryLimits): Summary<T> {
  const lists: OmittedItems[] = [];
  let shortenedStrings = 0;
  /** Where the walk is: keys and indexes from the top. */
  const at: Array<string | number> = [];
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      if (item.length <= limits.maxStringLength) return item;
      shortenedStrings += 1;
      return truncateStrings(item, limits.maxStringLength);
    }
    if (Array.isArray(item)) {
      const kept = Math.min(item.length, limits.maxItems);
      if (kept < item.length) lists.push({ path: at.length === 0 ? '(answer)' : pathText(at), total: item.length, kept });
      let copy: unknown[] | undefined = kept < item.length ? item.slice(0, kept) : undefined;
      for (let index = 0; index < kept; index += 1) {
        at.push(index);
        const next = walk(item[index]);
        at.pop();
        if (next !== item[index]) (copy ??= item.slice(0, kept))[index] = next;
      }
      return copy ?? item;
    }
    if (item !== null && typeof item === 'object') {
      let copy: Record<string, unknown> | undefined;
      for (const key of Object.keys(item)) {
        const entry = (item as Record<string, unknown>)[key];
        at.push(key);
        const next = walk(entry);
        at.pop();
        if (next !== entry) (copy ??= { ...item })[key] = next;
      }
      return copy ?? item;
    }
    return item;
  };
  return { value: walk(value) as T, lists, shortenedStrings };
}

/** Where a value is in an answer, as JavaScript reads it: `records`, `groups[0].members`, from `root` when given (`data.items[3].id`). */
export function pathText(steps: ReadonlyArray<PropertyKey>, root = ''): string {
  return steps.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : text ? `${text}.${String(step)}` : String(step)), root);
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
