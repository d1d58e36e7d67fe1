/**
 * The database the tests use. Without DATABASE_URL: the embedded PGlite database (it migrates
 * and seeds itself). With DATABASE_URL (CI with a PostgreSQL service, or your own): that
 * database, migrated and seeded once per test process before the first test uses it. Point it
 * at a database made for tests: the tests write rows to it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { openPools } from '../../src/backends/postgres/database.js';
import { dumpEmbedded, openEmbedded, startEmbeddedFrom } from '../../src/backends/postgres/embedded.js';
import { migrate, MIGRATIONS_DIR, SEEDS_DIR } from '../../src/backends/postgres/migrate.js';
import { createLogger } from '../../src/observability/logger.js';
import { PostgresStore, type PostgresSettings } from '../../src/backends/postgres/postgres-backend.js';

let prepared: Promise<void> | undefined;

/**
 * Migrates and seeds DATABASE_URL once per process. Without it: makes the embedded database
 * start from a snapshot shared by every test process (in the OS temp directory, keyed by the
 * migrations, the seeds and the PGlite version), since creating one from nothing takes seconds.
 */
export function prepareTestDatabase(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    prepared ??= useEmbeddedSnapshot();
    return prepared;
  }
  prepared ??= (async () => {
    const db = openPools({ url, readUrl: undefined, poolMax: 1, statementTimeoutMs: 60_000, connectTimeoutMs: 10_000, applicationName: 'mcp-tests' });
    try {
      await migrate(db, { seed: true });
    } finally {
      await db.close();
    }
  })();
  return prepared;
}

/** Whether the tests run against a real PostgreSQL server (DATABASE_URL) or the embedded one. */
export const realDatabase = Boolean(process.env.DATABASE_URL);

export function testSettings(overrides: Partial<PostgresSettings> = {}): PostgresSettings {
  return {
    url: process.env.DATABASE_URL || undefined,
    readUrl: undefined,
    readRole: 'mcp_reader',
    writeRole: 'mcp_writer',
    poolMax: 4,
    statementTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
    embeddedDataDir: undefined,
    ...overrides,
  };
}

/** A store on the test database, as src/backends/index.ts builds it. */
export async function openTestStore(overrides: Partial<PostgresSettings> = {}): Promise<PostgresStore> {
  await prepareTestDatabase();
  return PostgresStore.open(testSettings(overrides), createLogger('silent', 'test'));
}

/** A tenant id no other test uses, so tests can count rows while others write in parallel. */
export function uniqueTenant(label: string): string {
  return `${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

async function useEmbeddedSnapshot(): Promise<void> {
  const file = join(tmpdir(), `mcp-pglite-${snapshotKey()}.tar.gz`);
  try {
    startEmbeddedFrom(new Blob([await readFile(file)]));
    return;
  } catch {
    // Not made yet: make it from this process's database, for the next ones.
  }
  const db = await openEmbedded(undefined);
  await db.close(); // the in-memory database stays open for this process
  try {
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, Buffer.from(await (await dumpEmbedded()).arrayBuffer()));
    await rename(partial, file); // atomic: another process never reads half a file
  } catch {
    // A read-only temp directory only costs time.
  }
}

function snapshotKey(): string {
  const hash = createHash('sha256');
  // The installed PGlite's package.json (not exported: found beside its entry point).
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  hash.update(readFileSync(join(dirname(entry), '..', 'package.json')));
  for (const dir of [MIGRATIONS_DIR, SEEDS_DIR]) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();
    } catch {
      // no such directory: nothing to hash
    }
    for (const name of files) hash.update(name).update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}
