/**
 * The tool-description lint: what makes a model pick the right tool and fill its arguments.
 *
 * One module, two users: the generated repo's `npm run lint:tools` (scripts/lint-tools/cli.ts)
 * lints the tools the server really registers, and the generator's `mcp-gen lint` lints
 * mcp-gen.json and the tool files. The generator compiles this very file (its
 * src/lint/tool-rules.ts is a link to the template) instead of keeping a copy, so the two can
 * never disagree. It therefore imports nothing: plain data in, plain data out.
 *
 * Rules (errors break clients or make a tool unusable; warnings make it harder to choose well):
 *
 *   name-length         error    a name longer than 64 characters (many clients and model APIs
 *                                refuse them)
 *   name-characters     error    a name outside [A-Za-z0-9_.-]
 *   description-missing error    no description at all
 *   name-verb-first     warning  the name (its last dotted segment) does not start with a verb:
 *                                `search_orders`, not `orders` or `order_search`
 *   description-short   warning  less than a sentence: fewer than 6 words, or a last sentence
 *                                without its closing . ! or ?
 *   description-when    warning  nothing says when to use it ("use when…", "for…", "returns…")
 *   param-description   warning  a parameter without a description
 *   description-overlap warning  two descriptions too alike for a model to tell apart: the
 *                                Jaccard similarity of their sets of word pairs ("shingles") is
 *                                above 0.5, i.e. more than half of all the adjacent word pairs
 *                                the two use appear in both
 */

export interface LintParam {
  name: string;
  description: string | undefined;
}

export interface LintTool {
  name: string;
  title?: string | undefined;
  description: string | undefined;
  params: LintParam[];
  /** Where the tool is defined, for messages (a file path). */
  source?: string | undefined;
}

export type Severity = 'error' | 'warning';

export interface LintFinding {
  severity: Severity;
  rule: string;
  tool: string;
  /** The other tool, for description-overlap. */
  other?: string;
  message: string;
}

export interface LintReport {
  tools: number;
  errors: number;
  warnings: number;
  findings: LintFinding[];
}

export const MAX_NAME_LENGTH = 64;
export const OVERLAP_THRESHOLD = 0.5;

/** Verbs tool names start with; extend it with your domain's (LintOptions.verbs). */
export const COMMON_VERBS = [
  'add', 'analyze', 'append', 'apply', 'approve', 'archive', 'assign', 'attach', 'book', 'calculate', 'call', 'cancel',
  'check', 'clear', 'close', 'compare', 'complete', 'compute', 'confirm', 'convert', 'copy', 'count', 'create', 'deactivate',
  'decline', 'delete', 'deny', 'describe', 'detect', 'disable', 'download', 'draft', 'echo', 'edit', 'enable', 'estimate',
  'execute', 'explain', 'export', 'extract', 'fetch', 'filter', 'find', 'format', 'generate', 'get', 'grant', 'import',
  'inspect', 'invite', 'issue', 'list', 'load', 'lock', 'log', 'lookup', 'mark', 'merge', 'move', 'notify', 'open',
  'parse', 'pause', 'ping', 'place', 'post', 'predict', 'preview', 'publish', 'put', 'query', 'read', 'reassign',
  'record', 'refresh', 'refund', 'register', 'reject', 'release', 'reload', 'remove', 'rename', 'render', 'reopen',
  'replace', 'reply', 'report', 'request', 'reset', 'resolve', 'restore', 'resume', 'retrieve', 'retry', 'revoke', 'run',
  'save', 'schedule', 'scan', 'search', 'send', 'set', 'share', 'show', 'sign', 'start', 'stop', 'submit', 'subscribe',
  'suggest', 'summarize', 'sync', 'tag', 'test', 'transfer', 'translate', 'trigger', 'unlock', 'unsubscribe', 'update',
  'upload', 'upsert', 'validate', 'verify', 'view', 'void', 'watch', 'write',
] as const;

/** Phrases that tell a model when a tool is the right one. */
const WHEN_CUES = /\b(use (this |it )?(when|to|for|if|after|before|instead)|when |whenever|if you|for (finding|looking|getting|checking|listing|creating|updating)|returns?|gives|lists?|fetch(es)?|finds?|creates?|updates?|changes?|reads?)\b/i;

export interface LintOptions {
  /** Extra verbs accepted at the start of a name. */
  verbs?: readonly string[];
  overlapThreshold?: number;
}

export function lintTools(tools: readonly LintTool[], options: LintOptions = {}): LintReport {
  const verbs = new Set<string>([...COMMON_VERBS, ...(options.verbs ?? [])]);
  const threshold = options.overlapThreshold ?? OVERLAP_THRESHOLD;
  const findings: LintFinding[] = [];
  const add = (severity: Severity, rule: string, tool: string, message: string, other?: string) =>
    findings.push({ severity, rule, tool, ...(other !== undefined ? { other } : {}), message });

  for (const tool of tools) {
    const { name } = tool;
    if (name.length > MAX_NAME_LENGTH) add('error', 'name-length', name, `the name has ${name.length} characters; keep it to ${MAX_NAME_LENGTH} or fewer`);
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) add('error', 'name-characters', name, 'the name may only hold letters, digits, "_", "." and "-"');
    const first = firstWord(name);
    if (first && !verbs.has(first)) {
      add('warning', 'name-verb-first', name, `the name should start with a verb saying what it does (e.g. search_${lastSegment(name)}), not "${first}"`);
    }

    const description = (tool.description ?? '').trim();
    if (description === '') {
      add('error', 'description-missing', name, 'no description: say in a sentence or two what it does and when to use it');
    } else {
      const words = wordsOf(description);
      if (words.length < 6) {
        add('warning', 'description-short', name, `the description is shorter than a sentence (${words.length} words): say what it does, what it returns and when to use it`);
      } else if (!/[.!?]$/.test(description)) {
        add('warning', 'description-short', name, 'the description does not end its last sentence: close it with ".", "!" or "?"');
      }
      if (!WHEN_CUES.test(description)) {
        add('warning', 'description-when', name, 'the description does not say when to use the tool or what it returns (e.g. "Use when …", "Returns …")');
      }
    }

    for (const param of tool.params) {
      if (!param.description?.trim()) {
        add('warning', 'param-description', name, `parameter "${param.name}" has no description: say what it holds and its format`);
      }
    }
  }

  // Each pair that shares a word pair, counted through an index of which descriptions use
  // which pair, instead of comparing all n² pairs (most share none); reported in the order of
  // the pairs, as before.
  const sizes: number[] = [];
  const ids = new Map<string, number>();
  const users: number[][] = []; // by pair id: the tools using it, ascending
  const used = tools.map((tool, index) => {
    const set = shinglesOf(tool.description ?? '');
    sizes.push(set.size);
    const own: number[] = [];
    for (const shingle of set) {
      let id = ids.get(shingle);
      if (id === undefined) {
        id = users.length;
        ids.set(shingle, id);
        users.push([]);
      }
      users[id]!.push(index);
      own.push(id);
    }
    return own;
  });
  const shared = new Int32Array(tools.length);
  for (let i = 0; i < tools.length; i++) {
    const others: number[] = [];
    for (const id of used[i]!) {
      const list = users[id]!;
      for (let k = list.length - 1; k >= 0 && list[k]! > i; k--) {
        const j = list[k]!;
        if (shared[j] === 0) others.push(j);
        shared[j] = shared[j]! + 1;
      }
    }
    others.sort((x, y) => x - y);
    for (const j of others) {
      const common = shared[j]!;
      shared[j] = 0;
      const similarity = common / (sizes[i]! + sizes[j]! - common);
      if (similarity > threshold) {
        add(
          'warning',
          'description-overlap',
          tools[i]!.name,
          `its description and ${tools[j]!.name}'s share ${Math.round(similarity * 100)} % of their word pairs: say what sets each apart`,
          tools[j]!.name,
        );
      }
    }
  }

  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return { tools: tools.length, errors, warnings: findings.length - errors, findings };
}

/** Lower-case words of a text (letters and digits). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The set of adjacent word pairs ("w1 w2"); a one-word text is its word. */
export function shinglesOf(text: string): Set<string> {
  const words = wordsOf(text);
  if (words.length < 2) return new Set(words);
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) pairs.add(`${words[i]} ${words[i + 1]}`);
  return pairs;
}

/** |A ∩ B| / |A ∪ B|; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  return shared / (a.size + b.size - shared);
}

function lastSegment(name: string): string {
  return name.split('.').at(-1) ?? name;
}

/** `crm.searchAccounts` -> `search`; `get_record` -> `get`. */
function firstWord(name: string): string | undefined {
  return lastSegment(name)
    .split(/[_\-\s]+|(?<=[a-z0-9])(?=[A-Z])/)
    .find(Boolean)
    ?.toLowerCase();
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The report as lines for a terminal: errors first, then warnings, then a summary. */
export function formatReport(report: LintReport): string[] {
  const lines: string[] = [];
  for (const severity of ['error', 'warning'] as const) {
    for (const finding of report.findings.filter((each) => each.severity === severity)) {
      lines.push(`${severity === 'error' ? 'error  ' : 'warning'} ${finding.tool}: ${finding.message} [${finding.rule}]`);
    }
  }
  const tools = count(report.tools, 'tool');
  lines.push(
    report.findings.length === 0
      ? `${tools}: descriptions look good.`
      : `${tools}: ${count(report.errors, 'error')}, ${count(report.warnings, 'warning')}.`,
  );
  return lines;
}
