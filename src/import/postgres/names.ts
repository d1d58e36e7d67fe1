/**
 * Tool and parameter names from table and column names: verb-first snake_case, at most 64
 * characters (a longer one is clipped with a hash of the whole, so it stays unique and stable).
 */
import { createHash } from 'node:crypto';

export const MAX_TOOL_NAME = 64;

/** `OrderItems`, `order-items` -> `order_items`. */
export function snake(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.join('_') || 'table';
}

/** The last word made singular: `order_items` -> `order_item`, `categories` -> `category`. */
export function singular(name: string): string {
  return replaceLastWord(name, (word) => {
    if (/(ss|us|is)$/.test(word) || word.length <= 2) return word;
    if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
    if (/(ches|shes|xes|sses|zes)$/.test(word)) return word.slice(0, -2);
    if (word.endsWith('s')) return word.slice(0, -1);
    return word;
  });
}

/** The last word made plural: `order_item` -> `order_items`, `category` -> `categories`. */
export function plural(name: string): string {
  return replaceLastWord(name, (word) => {
    if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
    if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
    return `${word}s`;
  });
}

function replaceLastWord(name: string, change: (word: string) => string): string {
  const at = name.lastIndexOf('_');
  return at < 0 ? change(name) : `${name.slice(0, at + 1)}${change(name.slice(at + 1))}`;
}

/** `verb_entity`, clipped to 64 characters with a stable hash suffix. */
export function toolName(verb: string, entity: string): string {
  const name = `${verb}_${entity}`;
  if (name.length <= MAX_TOOL_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, MAX_TOOL_NAME - 7).replace(/_+$/, '')}_${hash}`;
}

/** Arguments every imported tool may take; a column with one of these names is renamed `<name>_value`. */
const RESERVED_PARAMS = new Set(['limit', 'after', 'query', 'approvalId']);

/** A column's name as an argument: an identifier of at most 64 characters. */
export function paramName(column: string): string {
  let name = column.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+(?=.)/, '');
  if (!/^[A-Za-z_]/.test(name)) name = `c_${name}`;
  if (RESERVED_PARAMS.has(name)) name = `${name}_value`;
  return name.slice(0, 64);
}
