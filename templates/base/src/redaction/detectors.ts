/**
 * Detectors for secrets and personal data inside free text: what a model may paste into any
 * argument, or an error message may carry. Each match is replaced by `[redacted:<kind>]`.
 *
 * Ordered: credentials first (a URL with a password also looks like an email), then personal
 * data. Card numbers and IBANs must pass their checksum (Luhn, mod 97), so order numbers and
 * phone numbers are left alone. Add your own (an internal key format, a national id) here.
 */
export interface Detector {
  kind: string;
  pattern: RegExp;
  /** A finer check of a match (a checksum); without it every match is redacted. */
  accept?: (match: string) => boolean;
  /** What replaces a match; default `[redacted:<kind>]`. */
  replace?: (match: string, ...groups: string[]) => string;
}

const mark = (kind: string) => `[redacted:${kind}]`;

export const DETECTORS: readonly Detector[] = [
  { kind: 'private_key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g },
  // A JWT: base64url header and payload, both JSON objects ("eyJ" is `{"` encoded).
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g },
  {
    kind: 'token',
    pattern: /\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi,
    replace: (_match, scheme = '', space = ' ') => `${scheme}${space}${mark('token')}`,
  },
  // user:password@ in a connection string or URL.
  {
    kind: 'credentials',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/:@"']+:[^\s/@"']+@/gi,
    replace: (_match, scheme = '') => `${scheme}${mark('credentials')}@`,
  },
  {
    kind: 'api_key',
    pattern: new RegExp(
      [
        'mcp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}', // this server's own API keys
        'sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}', // Anthropic, OpenAI
        '[rs]k_(?:live|test)_[A-Za-z0-9]{16,}', // Stripe
        'gh[pousr]_[A-Za-z0-9]{36,}', // GitHub tokens
        'github_pat_[A-Za-z0-9_]{22,}',
        'xox[abposr]-[A-Za-z0-9-]{10,}', // Slack
        '(?:AKIA|ASIA)[0-9A-Z]{16}', // AWS access key ids
        'AIza[0-9A-Za-z_-]{35}', // Google API keys
        'glpat-[A-Za-z0-9_-]{20,}', // GitLab
      ]
        .map((source) => `\\b${source}`)
        .join('|'),
      'g',
    ),
  },
  // `password=…`, `"client_secret": "…"`, `api-key: …` in text (structured keys: see SENSITIVE_KEYS).
  {
    kind: 'secret',
    pattern: /\b(pass(?:word|wd)?|pwd|secret|client[_-]?secret|api[_-]?key|access[_-]?token|refresh[_-]?token)("?\s*[=:]\s*"?)([^\s"',;&]{3,})/gi,
    replace: (_match, key = '', separator = '=') => `${key}${separator}${mark('secret')}`,
  },
  { kind: 'email', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g },
  // 13-19 digits, plain or in the printed groups (4-4-4-4, Amex 4-6-5): not the digit runs of a UUID.
  {
    kind: 'card',
    pattern: /\b(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{4,5})\b/g,
    accept: (match) => luhnValid(match.replace(/\D/g, '')),
  },
  { kind: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g, accept: (match) => ibanValid(match.replace(/ /g, '')) },
  { kind: 'ssn', pattern: /\b\d{3}-\d{2}-\d{4}\b/g },
];

/** Every detector in one pattern: one scan tells whether a text needs the detectors at all. */
function anyOf(detectors: readonly Detector[]): RegExp {
  return new RegExp(detectors.map((detector) => `(?:${detector.pattern.source})`).join('|'), 'i');
}
const ANY_DETECTOR = anyOf(DETECTORS);

/** Replaces every detected secret or personal datum in `text`. */
export function redactText(text: string, detectors: readonly Detector[] = DETECTORS): string {
  // Most strings hold nothing to redact: one scan instead of one per detector.
  if (!(detectors === DETECTORS ? ANY_DETECTOR : anyOf(detectors)).test(text)) return text;
  let result = text;
  for (const detector of detectors) {
    detector.pattern.lastIndex = 0;
    result = result.replace(detector.pattern, (match: string, ...groups: unknown[]) => {
      if (detector.accept && !detector.accept(match)) return match;
      // replace() passes the capture groups, then the offset (a number), then the whole text.
      const captured = groups.slice(0, groups.findIndex((group) => typeof group === 'number')) as string[];
      return detector.replace ? detector.replace(match, ...captured) : mark(detector.kind);
    });
  }
  return result;
}

/** The Luhn checksum of payment card numbers (13-19 digits). */
export function luhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
