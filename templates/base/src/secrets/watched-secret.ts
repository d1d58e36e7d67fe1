/**
 * A secret given as a file (`<NAME>_FILE`, e.g. a mounted Kubernetes or Docker secret) that is
 * re-read when the file changes, so a rotated credential takes effect without a restart.
 *
 * The file is checked on use, at most every `recheckMs` (a stat of mtime, size and inode: an
 * atomic rewrite or Kubernetes' symlink swap always changes one of them), never on a timer, so an
 * idle server does nothing. Whoever reads `current()` gets the value of that moment: a call that
 * already read it (a pooled connection opened, a request sent) finishes with the old one. A
 * changed file that is unreadable or invalid is logged and ignored: the server keeps the last
 * good value rather than lose access halfway through a rotation. Values are never logged.
 */
import { readFileSync, statSync } from 'node:fs';

import type { Logger } from '../observability/logger.js';

/** A value that may change while the process runs. */
export interface Secret<T> {
  current(): T;
}

/** A secret given inline (not as a file): it never changes. */
export function fixedSecret<T>(value: T): Secret<T> {
  return { current: () => value };
}

export interface WatchedSecretOptions<T> {
  /** The variable, e.g. `DATABASE_URL` (its file is `<name>_FILE`), for log lines. */
  name: string;
  file: string;
  /** The value loadConfig read from the file at start-up. */
  initial: T;
  /** The file's trimmed text -> the value; throws with a readable reason when invalid. */
  parse: (text: string) => T;
  logger: Logger;
  recheckMs?: number;
}

export class WatchedSecretFile<T> implements Secret<T> {
  private value: T;
  private version: string;
  private lastCheck = 0;
  private readonly recheckMs: number;

  constructor(private readonly options: WatchedSecretOptions<T>) {
    this.value = options.initial;
    this.version = versionOf(options.file);
    this.recheckMs = options.recheckMs ?? 500;
  }

  current(): T {
    const now = Date.now();
    if (now - this.lastCheck >= this.recheckMs) {
      this.lastCheck = now;
      const version = versionOf(this.options.file);
      // Absent: mid-swap (or deleted); keep the value until a file is there again.
      if (version !== this.version && version !== 'absent') this.reload(version);
    }
    return this.value;
  }

  private reload(version: string): void {
    const { name, file, logger } = this.options;
    this.version = version;
    try {
      this.value = this.options.parse(readFileSync(file, 'utf8').trim());
      logger.info({ file }, `${name}_FILE changed: new calls use the new value`);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      logger.error({ file, reason }, `${name}_FILE changed but cannot be used; still using the previous value`);
    }
  }
}

/** The secret of `<name>_FILE` when one was given, else the fixed value. */
export function secretFrom<T>(file: string | undefined, options: Omit<WatchedSecretOptions<T>, 'file'>): Secret<T> {
  return file ? new WatchedSecretFile({ ...options, file }) : fixedSecret(options.initial);
}

/** mtime + size + inode; `absent` while the file is missing (mid-swap). */
function versionOf(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  } catch {
    return 'absent';
  }
}
