/**
 * API keys: the keys file and how a presented key is checked.
 *
 * The file (MCP_API_KEYS_FILE, JSON) never holds a key, only its sha256 and a short prefix
 * that identifies it (`mcp_1a2b3c4d5e6f`, safe to log and to show in `npm run keys -- list`).
 * Keys carry 256 random bits, so a fast hash is enough: there is nothing to brute-force.
 * Each key is bound to one tenant, one subject and a set of scopes, optionally until expiresAt.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { z } from 'zod';

import type { Logger } from '../observability/logger.js';
import type { Principal } from './principal.js';

const storedKeySchema = z.object({
  prefix: z.string().regex(/^mcp_[0-9a-f]{12}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  tenantId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  subject: z.string().min(1),
  scopes: z.array(z.string()),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
const keysFileSchema = z.object({ version: z.literal(1), keys: z.array(storedKeySchema) });

export type StoredKey = z.infer<typeof storedKeySchema>;
export type KeysFile = z.infer<typeof keysFileSchema>;

const KEY_FORMAT = /^mcp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 'mcp_'.length + 12;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Reads the keys file; a missing file is an empty one (a fresh checkout has no keys yet). */
export function readKeysFile(path: string): KeysFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: [] };
    throw error;
  }
  const parsed = keysFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not a valid keys file: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Writes atomically (temp file + rename), readable by the owner only. */
export function writeKeysFile(path: string, file: KeysFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

export interface NewKeyOptions {
  tenantId: string;
  subject: string;
  scopes: string[];
  expiresAt?: Date | undefined;
  now?: Date;
}

/** Adds a key to the file and returns it: the only time the key itself exists anywhere. */
export function createApiKey(path: string, options: NewKeyOptions): { key: string; stored: StoredKey } {
  const prefix = `mcp_${randomBytes(6).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  const stored = storedKeySchema.parse({
    prefix,
    sha256: hashApiKey(key),
    tenantId: options.tenantId,
    subject: options.subject,
    scopes: options.scopes,
    createdAt: (options.now ?? new Date()).toISOString(),
    expiresAt: options.expiresAt?.toISOString() ?? null,
    revokedAt: null,
  });
  const file = readKeysFile(path);
  writeKeysFile(path, { ...file, keys: [...file.keys, stored] });
  return { key, stored };
}

/** Marks a key revoked (kept in the file for the record). `undefined` when no key has that prefix. */
export function revokeApiKey(path: string, prefix: string, now = new Date()): StoredKey | undefined {
  const file = readKeysFile(path);
  const stored = file.keys.find((key) => key.prefix === prefix);
  if (!stored) return undefined;
  stored.revokedAt ??= now.toISOString();
  writeKeysFile(path, file);
  return stored;
}

export type KeyCheck =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      reason: 'malformed' | 'unknown' | 'revoked' | 'expired';
      /** The presented key's prefix: only when the key is well-formed (a prefix is not a secret). */
      prefix?: string;
    };

/**
 * Checks presented keys against the keys file, and notices when the file changes (checked at
 * most every `recheckMs`), so creating or revoking a key takes effect without a restart.
 */
export class ApiKeyVerifier {
  private byPrefix = new Map<string, StoredKey>();
  private fileVersion = '';
  private lastCheck = 0;
  // Compared against when the prefix is unknown, so a miss costs what a hit costs.
  private readonly decoy = createHash('sha256').update(randomBytes(32)).digest();

  constructor(
    private readonly path: string,
    private readonly logger: Logger,
    private readonly recheckMs = 500,
  ) {
    this.reload(true);
  }

  get size(): number {
    return this.byPrefix.size;
  }

  check(presented: string, now = new Date()): KeyCheck {
    this.reloadIfChanged();
    if (!KEY_FORMAT.test(presented)) return { ok: false, reason: 'malformed' };
    const prefix = presented.slice(0, PREFIX_LENGTH);
    const stored = this.byPrefix.get(prefix);
    const expected = stored ? Buffer.from(stored.sha256, 'hex') : this.decoy;
    const matches = timingSafeEqual(createHash('sha256').update(presented, 'utf8').digest(), expected);
    if (!stored || !matches) return { ok: false, reason: 'unknown', prefix };
    if (stored.revokedAt) return { ok: false, reason: 'revoked', prefix };
    if (stored.expiresAt && Date.parse(stored.expiresAt) <= now.getTime()) return { ok: false, reason: 'expired', prefix };
    return {
      ok: true,
      principal: { tenantId: stored.tenantId, subject: stored.subject, clientId: stored.prefix, scopes: stored.scopes },
    };
  }

  private reloadIfChanged(): void {
    const now = Date.now();
    if (now - this.lastCheck < this.recheckMs) return;
    this.lastCheck = now;
    if (this.versionOfFile() !== this.fileVersion) this.reload(false);
  }

  /** mtime + size + inode: an atomic rewrite always changes at least one of them. */
  private versionOfFile(): string {
    try {
      const stat = statSync(this.path);
      return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      return 'absent';
    }
  }

  /** Re-reads the keys file now (SIGHUP, or a change noticed on a check). */
  reload(atStartUp: boolean): void {
    const version = this.versionOfFile();
    try {
      const file = readKeysFile(this.path);
      this.byPrefix = new Map(file.keys.map((key) => [key.prefix, key]));
      this.fileVersion = version;
      if (atStartUp && file.keys.length === 0) {
        this.logger.warn({ keysFile: this.path }, 'no API keys yet: every request will be refused. Create one with `npm run keys -- create`');
      } else if (!atStartUp) {
        this.logger.info({ keysFile: this.path, keys: file.keys.length }, 'API keys file reloaded');
      }
    } catch (error) {
      if (atStartUp) throw error;
      // Keep serving with the keys we had: a half-edited file must not lock everyone out.
      this.fileVersion = version;
      this.logger.error({ err: error, keysFile: this.path }, 'API keys file is invalid; still using the previous keys');
    }
  }
}
