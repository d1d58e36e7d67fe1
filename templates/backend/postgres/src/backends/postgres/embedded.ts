/**
 * The embedded database: PGlite, used when DATABASE_URL is unset. It starts slowly (seconds: the
 * WebAssembly module and initdb), so one instance per data directory is shared by everything in
 * this process (every test harness, every app), migrated and seeded once when it opens.
 *
 * In memory (no PGLITE_DATA_DIR) it lives as long as the process; with a data directory it is
 * closed when the last user closes it, so its files are consistent on disk.
 */
import { PGlite } from '@electric-sql/pglite';

import { embeddedDatabase, type Database } from './database.js';
import { migrate } from './migrate.js';

interface Shared {
  db: Promise<PGlite>;
  users: number;
}

const shared = new Map<string, Shared>();
const IN_MEMORY = 'memory://';
/** A dump the in-memory database starts from instead of an empty one (see startEmbeddedFrom). */
let startingPoint: Blob | undefined;

/**
 * Start the in-memory database from `dump` (made by {@link dumpEmbedded}) rather than creating
 * and migrating an empty one: several times faster. The tests use it to share one start-up
 * across test files. Takes effect for an in-memory database not opened yet in this process.
 */
export function startEmbeddedFrom(dump: Blob): void {
  startingPoint = dump;
}

/** The in-memory database's data directory as a gzipped tarball (after it has been opened). */
export async function dumpEmbedded(): Promise<Blob> {
  const entry = shared.get(IN_MEMORY);
  if (!entry) throw new Error('the embedded database is not open');
  return (await entry.db).dumpDataDir('gzip');
}

export async function openEmbedded(dataDir: string | undefined): Promise<Database> {
  const key = dataDir ?? IN_MEMORY;
  let entry = shared.get(key);
  if (!entry) {
    const db = (async () => {
      const from = key === IN_MEMORY ? startingPoint : undefined;
      const instance = await PGlite.create(key, from ? { loadDataDir: from } : {});
      // The same migrations as a server, plus the sample rows: an embedded database is for
      // development and tests.
      await migrate(embeddedDatabase(instance, async () => {}), { seed: true });
      return instance;
    })();
    entry = { db, users: 0 };
    shared.set(key, entry);
    db.catch(() => shared.delete(key));
  }
  entry.users += 1;
  const current = entry;
  let instance: PGlite;
  try {
    instance = await current.db;
  } catch (error) {
    current.users -= 1;
    throw error;
  }
  let released = false;
  return embeddedDatabase(instance, async () => {
    if (released) return;
    released = true;
    current.users -= 1;
    if (current.users === 0 && key !== IN_MEMORY) {
      shared.delete(key);
      await instance.close();
    }
  });
}
