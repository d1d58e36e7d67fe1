/**
 * Redaction of audit records, logs and (optionally, REDACT_TOOL_OUTPUT) tool results.
 *
 * Three rules, applied to a JSON value:
 *   1. a key that names a secret (password, token, apiKey, authorization…, any depth) has its
 *      whole value replaced by "[redacted]";
 *   2. REDACT_PATHS adds your own: a bare name (`ssn`) matches that key at any depth, a dotted
 *      path (`customer.address.street`, `*` for any one key) matches from the root of the value
 *      (tool arguments, a tool result, a log line). Arrays are transparent:
 *      `customers.email` covers every element of `customers`;
 *   3. every other string is scanned by the detectors (src/redaction/detectors.ts): API keys,
 *      bearer tokens, JWTs, credentials in URLs, card numbers, emails, IBANs…
 */
import { DETECTORS, redactText, type Detector } from './detectors.js';

/** Keys whose value is a secret whatever it looks like (compared lowercase, without `_` and `-`). */
const SENSITIVE_KEYS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'apikey',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'privatekey',
  'cvv',
  'cvc',
]);

/** Log line keys that hold ids and numbers the pipeline itself wrote: never rewritten. */
const LOG_KEYS_KEPT = new Set(['time', 'level', 'pid', 'hostname', 'name', 'requestId', 'traceId', 'spanId']);

const REDACTED = '[redacted]';
const MAX_DEPTH = 64;

export class Redactor {
  private readonly anywhere = new Set<string>();
  private readonly fromRoot: string[][] = [];

  constructor(
    paths: readonly string[] = [],
    private readonly detectors: readonly Detector[] = DETECTORS,
  ) {
    for (const path of paths) {
      const segments = path.split('.').filter(Boolean);
      if (segments.length === 1) this.anywhere.add(normalize(segments[0]!));
      else if (segments.length > 1) this.fromRoot.push(segments);
    }
  }

  /**
   * `value` redacted. The input is never changed: what needs redacting is copied, and parts with
   * nothing to redact are shared, so a value with nothing to redact comes back as is (same object).
   */
  value<T>(value: T): T {
    return this.walk(value, [], 0, undefined) as T;
  }

  /** Free text, detectors only. */
  text(text: string): string {
    return redactText(text, this.detectors);
  }

  /** One JSON log line (pino's output), redacted; a line that is not JSON gets the detectors. */
  logLine(line: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return this.text(line);
    }
    const newline = line.endsWith('\n') ? '\n' : '';
    return `${JSON.stringify(this.walk(parsed, [], 0, LOG_KEYS_KEPT))}${newline}`;
  }

  private walk(value: unknown, path: string[], depth: number, kept: Set<string> | undefined): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(value)) {
      const items = value.map((item) => this.walk(item, path, depth + 1, kept));
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    let changed = false;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      // Paths are only tracked when a configured path could match them.
      const itemPath = this.fromRoot.length > 0 ? [...path, key] : path;
      let redacted: unknown;
      if (depth === 0 && kept?.has(key)) redacted = item;
      else if (this.isSensitive(key, itemPath)) redacted = REDACTED;
      else redacted = this.walk(item, itemPath, depth + 1, kept);
      if (redacted !== item) changed = true;
      copy[key] = redacted;
    }
    return changed ? copy : value;
  }

  private isSensitive(key: string, path: readonly string[]): boolean {
    const name = normalize(key);
    if (SENSITIVE_KEYS.has(name) || this.anywhere.has(name)) return true;
    return this.fromRoot.some(
      (segments) => segments.length === path.length && segments.every((segment, i) => segment === '*' || segment === path[i]),
    );
  }
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}
