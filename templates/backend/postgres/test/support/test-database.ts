/**
 * The database the tests use. Without DATABASE_URL: the embedded PGlite database, started from a
 * migrated and seeded copy built once per test run (the global setup builds it: migrating from
 * nothing takes seconds, far more on a busy CI runner). Each test process loads it into memory;
 * each server process a test starts gets a copy of its own in PGLITE_DATA_DIR. With DATABASE_URL
 * (CI with a PostgreSQL service, or your own): that database, migrated and seeded once per test
 * process before the first test uses it. Point it at a database made for tests: the tests write
 * rows to it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';

import { embeddedDatabase, openPools } from '../../src/backends/postgres/database.js';
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

/** The snapshot test processes load (OS temp directory; the name changes with what it holds). */
const snapshotFile = () => join(tmpdir(), `mcp-pglite-${snapshotKey()}.tar.gz`);

async function useEmbeddedSnapshot(): Promise<void> {
  const file = snapshotFile();
  try {
    startEmbeddedFrom(new Blob([await readFile(file)]));
    return;
  } catch {
    // Not made yet (no global setup ran): make it from this process's database, for the next ones.
  }
  await openEmbedded(undefined).then((db) => db.close()); // the in-memory database stays open for this process
  await saveSnapshot(file, await dumpEmbedded());
}

async function saveSnapshot(file: string, dump: Blob): Promise<void> {
  try {
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file); // atomic: another process never reads half a file
  } catch {
    // A read-only temp directory only costs time.
  }
}

export interface RunDatabase {
  /** A migrated, seeded, closed PGlite data directory; undefined with DATABASE_URL. */
  template: string | undefined;
  remove(): Promise<void>;
}

/**
 * Once per test run, in the global setup: migrates and seeds DATABASE_URL; without it, builds the
 * data directory server processes get copies of (from the snapshot when one is cached, which
 * skips initdb and the migrations), and the snapshot itself when it is not.
 */
export async function prepareRunDatabase(): Promise<RunDatabase> {
  if (process.env.DATABASE_URL) {
    await prepareTestDatabase();
    return { template: undefined, remove: async () => {} };
  }
  const template = await mkdtemp(join(tmpdir(), 'mcp-pglite-template-'));
  const remove = () => rm(template, { recursive: true, force: true });
  try {
    const file = snapshotFile();
    const cached = await readFile(file).then((bytes) => new Blob([bytes]), () => undefined);
    const instance = await PGlite.create(template, cached ? { loadDataDir: cached } : {});
    try {
      // What the server does when it opens the database: a no-op on a snapshot that has it all.
      await migrate(embeddedDatabase(instance, async () => {}), { seed: true });
      if (!cached) await saveSnapshot(file, await instance.dumpDataDir('gzip'));
    } finally {
      await instance.close(); // consistent on disk before anything copies it
    }
    return { template, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * The database settings for a server process a test starts (src/main.ts as its own process):
 * DATABASE_URL as it is, or a fresh copy of the run's data directory in PGLITE_DATA_DIR, which
 * opens in about a second where migrating from nothing takes several. Without `template` (no
 * global setup) the server creates and migrates the directory itself.
 */
export async function serverProcessDatabase(template: string | undefined): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    await prepareTestDatabase();
    return { env: { DATABASE_URL: url }, remove: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), 'mcp-pglite-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  if (template) await cp(template, dir, { recursive: true }).catch(async (error: unknown) => {
    await remove();
    throw error;
  });
  return { env: { PGLITE_DATA_DIR: dir }, remove };
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
