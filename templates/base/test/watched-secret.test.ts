/**
 * Secrets given as files follow the file (src/secrets/watched-secret.ts): a rewrite is picked up
 * on the next use, an invalid or half-written file is logged and ignored (the last good value
 * stays), a file missing mid-swap changes nothing, and the value is never logged.
 */
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Logger } from '../src/observability/logger.js';
import { fixedSecret, secretFrom, WatchedSecretFile } from '../src/secrets/watched-secret.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function recordingLogger() {
  const lines: Array<{ level: string; fields: unknown; msg: string }> = [];
  const log = (level: string) => (fields: unknown, msg: string) => lines.push({ level, fields, msg });
  return { lines, logger: { info: log('info'), warn: log('warn'), error: log('error') } as unknown as Logger };
}

const parseToken = (text: string) => {
  if (!/^tok_[a-z0-9]+$/.test(text)) throw new Error('expected tok_…');
  return text;
};

/** Rewrites the file whole, by rename, with a new inode: as a secret manager does. */
function rotate(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

describe('a secret given as a file', () => {
  it('follows the file, keeps the last good value through a bad or missing file, and never logs a value', () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'tok_first\n');
    const { lines, logger } = recordingLogger();
    const secret = new WatchedSecretFile({ name: 'API_TOKEN', file, initial: 'tok_first', parse: parseToken, logger, recheckMs: 0 });
    expect(secret.current()).toBe('tok_first');

    rotate(file, 'tok_second\n');
    expect(secret.current()).toBe('tok_second');

    rotate(file, 'half-written');
    expect(secret.current()).toBe('tok_second');
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: 'API_TOKEN_FILE changed but cannot be used; still using the previous value' });

    unlinkSync(file);
    expect(secret.current()).toBe('tok_second');

    rotate(file, 'tok_third');
    expect(secret.current()).toBe('tok_third');
    expect(lines.map((line) => line.msg)).toContain('API_TOKEN_FILE changed: new calls use the new value');
    expect(JSON.stringify(lines)).not.toMatch(/tok_(first|second|third)|half-written/);
  });

  it('is checked at most every recheckMs', () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'tok_first');
    const { logger } = recordingLogger();
    const secret = new WatchedSecretFile({ name: 'API_TOKEN', file, initial: 'tok_first', parse: parseToken, logger, recheckMs: 3_600_000 });
    expect(secret.current()).toBe('tok_first');
    rotate(file, 'tok_second');
    expect(secret.current()).toBe('tok_first');
  });

  it('is fixed when given inline', () => {
    const { logger } = recordingLogger();
    expect(secretFrom(undefined, { name: 'API_TOKEN', initial: 'tok_inline', parse: parseToken, logger }).current()).toBe('tok_inline');
    expect(fixedSecret(42).current()).toBe(42);
  });
});
