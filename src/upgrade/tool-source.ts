/**
 * What a tool file says, read from its source without running it: the files the registry
 * imports, and the `name` and `description` of the object a tool file passes to
 * `defineTool({ ... })` when they are string literals (or literals joined with `+`).
 * Used when the repo's own code cannot be loaded (no node_modules yet).
 */

/** `./crm-get_customer.js` from `import crmGetCustomer from './crm-get_customer.js';`. */
export function registryImports(registry: string): string[] {
  return [...registry.matchAll(/^import\s+\w+\s+from\s+'(\.\/[^']+)';$/gm)].map((m) => m[1]!);
}

/** The tool's literal `name` and `description`, each undefined when it is not a plain literal. */
export function literalToolFields(source: string): { name?: string; description?: string } {
  const call = source.indexOf('defineTool({');
  if (call === -1) return {};
  const body = topLevelObject(source, call + 'defineTool('.length);
  if (body === undefined) return {};
  return { name: literalProperty(source, body, 'name'), description: literalProperty(source, body, 'description') };
}

/** The top-level property starts of the object literal opening at `open`: key -> index after its colon. */
function topLevelObject(source: string, open: number): Map<string, number> | undefined {
  const props = new Map<string, number>();
  let depth = 0;
  let expectKey = true;
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = skipString(source, i);
      if (end === undefined) return undefined;
      i = end - 1;
      expectKey = false;
      continue;
    }
    if (ch === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i === -1) return undefined;
      continue;
    }
    if (ch === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i) + 1;
      if (i === 0) return undefined;
      continue;
    }
    if (ch === '{' || ch === '(' || ch === '[') {
      depth++;
      if (depth === 1) expectKey = true;
      continue;
    }
    if (ch === '}' || ch === ')' || ch === ']') {
      depth--;
      if (depth === 0) return props;
      continue;
    }
    if (depth === 1 && ch === ',') {
      expectKey = true;
      continue;
    }
    if (depth === 1 && expectKey && /[A-Za-z_$]/.test(ch)) {
      const key = /^[A-Za-z_$][\w$]*/.exec(source.slice(i))![0];
      const after = source.slice(i + key.length);
      const colon = /^\s*:/.exec(after);
      if (colon) props.set(key, i + key.length + colon[0].length);
      i += key.length - 1;
      expectKey = false;
    }
  }
  return undefined;
}

function literalProperty(source: string, props: Map<string, number>, key: string): string | undefined {
  let i = props.get(key);
  if (i === undefined) return undefined;
  let text = '';
  for (;;) {
    while (/\s/.test(source[i] ?? '')) i++;
    const quote = source[i];
    if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
    const end = skipString(source, i);
    if (end === undefined) return undefined;
    const raw = source.slice(i + 1, end - 1);
    if (quote === '`' && raw.includes('${')) return undefined;
    text += unescape(raw);
    i = end;
    while (/\s/.test(source[i] ?? '')) i++;
    if (source[i] === '+') {
      i++;
      continue;
    }
    return source[i] === ',' || source[i] === '}' ? text : undefined;
  }
}

/** Index just past the string literal opening at `start`, or undefined when it never closes. */
function skipString(source: string, start: number): number | undefined {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === quote) return i + 1;
    else if (source[i] === '\n' && quote !== '`') return undefined;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function unescape(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r?\n|.)/g, (_all, esc: string) => {
    if (esc.startsWith('u{')) return String.fromCodePoint(parseInt(esc.slice(2, -1), 16));
    if (esc.length > 1 && (esc[0] === 'u' || esc[0] === 'x')) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc === '\n' || esc === '\r\n') return '';
    return SIMPLE_ESCAPES[esc] ?? esc;
  });
}
