/**
 * `npm run db:migrate` (and `npm run db:seed`): applies db/migrations/ (and db/seeds/) to the
 * database in DATABASE_MIGRATION_URL, else DATABASE_URL (each may be given as a *_FILE path).
 * Use an owner or admin login here: it creates tables, roles and policies that the server's own
 * login (DATABASE_URL) then only uses. Idempotent: run it on every deploy.
 *
 * In the image, without tsx: `node dist/backends/postgres/migrate-cli.js [--seed]`.
 */
import { readFileSync } from 'node:fs';

import { openPools } from './database.js';
import { migrate } from './migrate.js';

function secret(name: string): string | undefined {
  const file = process.env[`${name}_FILE`];
  if (file) return readFileSync(file, 'utf8').trim();
  const value = process.env[name];
  return value === '' ? undefined : value;
}

async function main(): Promise<void> {
  const url = secret('DATABASE_MIGRATION_URL') ?? secret('DATABASE_URL');
  if (!url) {
    process.stderr.write(
      'Set DATABASE_URL (or DATABASE_MIGRATION_URL) to the PostgreSQL database to migrate.\n' +
        'Without it the server uses its embedded database, which migrates itself when it starts.\n',
    );
    process.exitCode = 2;
    return;
  }
  const db = openPools({
    url,
    readUrl: undefined,
    poolMax: 1,
    statementTimeoutMs: 600_000,
    connectTimeoutMs: 10_000,
    applicationName: 'mcp-migrate',
  });
  try {
    const { applied, seeded } = await migrate(db, {
      seed: process.argv.includes('--seed'),
      log: (message) => process.stdout.write(`${message}\n`),
    });
    process.stdout.write(applied.length === 0 && seeded.length === 0 ? 'Database is up to date.\n' : 'Done.\n');
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  // The message only: a migration error names the file and PostgreSQL's reason.
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
