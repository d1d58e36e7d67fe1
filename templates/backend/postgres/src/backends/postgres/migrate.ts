/**
 * Applies db/migrations/*.sql in name order, each once, each in its own transaction, and records
 * it (with a checksum) in mcp_schema_migrations; then, when asked, db/seeds/*.sql (sample rows,
 * written to be re-run). Safe to run again and from several processes at once: a session-level
 * advisory lock serializes runs, and an applied migration is skipped.
 *
 * `npm run db:migrate` (src/backends/postgres/migrate-cli.ts) runs it against DATABASE_URL; the
 * embedded database runs it when it opens.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import type { Database } from './database.js';

/** db/ at the root of the repo (from src/backends/postgres/ and from dist/backends/postgres/ alike). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../db/migrations/', import.meta.url));
export const SEEDS_DIR = fileURLToPath(new URL('../../../db/seeds/', import.meta.url));

/** pg_advisory_lock key that serializes migration runs on one database. */
const MIGRATION_LOCK = 720_504_117;

export interface MigrateOptions {
  /** Also apply db/seeds/*.sql (sample rows for development and tests). */
  seed?: boolean;
  log?: (message: string) => void;
}

export interface MigrateResult {
  applied: string[];
  seeded: string[];
}

export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  return db.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await session.script(
        `CREATE TABLE IF NOT EXISTS mcp_schema_migrations (
           id text PRIMARY KEY,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = new Map(
        (await session.query<{ id: string; checksum: string }>('SELECT id, checksum FROM mcp_schema_migrations')).rows.map(
          (row) => [row.id, row.checksum] as const,
        ),
      );
      const applied: string[] = [];
      for (const file of await sqlFiles(MIGRATIONS_DIR)) {
        const sql = await readFile(`${MIGRATIONS_DIR}${file}`, 'utf8');
        const checksum = createHash('sha256').update(sql).digest('hex');
        const previous = done.get(file);
        if (previous === checksum) continue;
        if (previous !== undefined) {
          throw new Error(`db/migrations/${file} changed after it was applied: add a new migration file instead of editing it`);
        }
        await inTransaction(session, `db/migrations/${file}`, async () => {
          await session.script(sql);
          await session.query('INSERT INTO mcp_schema_migrations (id, checksum) VALUES ($1, $2)', [file, checksum]);
        });
        applied.push(file);
        log(`applied db/migrations/${file}`);
      }
      const seeded: string[] = [];
      if (options.seed) {
        for (const file of await sqlFiles(SEEDS_DIR)) {
          const sql = await readFile(`${SEEDS_DIR}${file}`, 'utf8');
          await inTransaction(session, `db/seeds/${file}`, () => session.script(sql));
          seeded.push(file);
          log(`applied db/seeds/${file}`);
        }
      }
      return { applied, seeded };
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}

async function inTransaction(session: Parameters<Parameters<Database['session']>[0]>[0], name: string, work: () => Promise<void>) {
  await session.script('BEGIN');
  try {
    await work();
    await session.script('COMMIT');
  } catch (error) {
    await session.script('ROLLBACK').catch(() => {});
    throw new Error(`${name} failed: ${(error as Error).message}`, { cause: error });
  }
}

async function sqlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
