/**
 * Where a schema is read from: the database DATABASE_URL names (node-postgres), or a schema-only
 * SQL dump (`pg_dump --schema-only`), loaded into an in-memory PGlite so PostgreSQL itself parses
 * it; then the same catalog queries (catalog.ts) read either.
 */
import { readFile } from 'node:fs/promises';
import { importPackage } from '../../launcher.js';
import { UserError } from '../../user-error.js';
import { readCatalog, type CatalogQuery } from './catalog.js';
import type { DbSchema } from './schema.js';

/** The source that means "the database in DATABASE_URL"; anything else is a dump file's path. */
export const DATABASE_URL_SOURCE = 'DATABASE_URL';

export async function readSchemaFromUrl(url: string | undefined, schema: string): Promise<DbSchema> {
  if (url === undefined || url.trim() === '') {
    throw new UserError('DATABASE_URL is not set: set it to the database to import (postgres://user@host:5432/db)', {
      hint: 'Or import a schema-only dump instead: mcp-gen import postgres schema.sql (pg_dump --schema-only). Nothing was written.',
    });
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new UserError('DATABASE_URL: expected a postgres:// or postgresql:// connection URL', { hint: 'Nothing was written.' });
  }
  const { default: pg } = await importPackage<typeof import('pg')>('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'mcp-gen import' });
  // A connection the server drops fails the query in flight, which says so; unheard, the event would crash.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new UserError(`DATABASE_URL: could not connect to ${safeTarget(url)}: ${(error as Error).message}`, { hint: 'Nothing was written.' });
  }
  try {
    const query: CatalogQuery = async <Row>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as Row[];
    return await readCatalog(query, schema);
  } finally {
    await client.end().catch(() => {});
  }
}

/** host:port/database of a URL, never its password. */
function safeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the database';
  }
}

/** At most this many roles a dump names (OWNER TO, GRANT) are created in the scratch database. */
const MAX_ROLES = 50;

export async function readSchemaFromDump(file: string, label: string, schema: string): Promise<DbSchema> {
  let sql: string;
  try {
    sql = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`${label}: cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { hint: 'Nothing was written.' });
  }
  // psql meta-commands (pg_dump writes \restrict / \unrestrict lines) are for psql, not the server.
  const script = sql.split('\n').filter((line) => !line.startsWith('\\')).join('\n');
  const { PGlite } = await importPackage<typeof import('@electric-sql/pglite')>('@electric-sql/pglite');
  const roles: string[] = [];
  for (;;) {
    const db = await PGlite.create();
    try {
      for (const role of roles) await db.exec(`CREATE ROLE ${quote(role)}`);
      try {
        await db.exec(script);
      } catch (error) {
        // A dump names its owners and grantees; the scratch database makes them and loads it again.
        const missing = /role "([^"]+)" does not exist/.exec((error as Error).message)?.[1];
        if (missing && !roles.includes(missing) && roles.length < MAX_ROLES) {
          roles.push(missing);
          continue;
        }
        throw new UserError(`${label}: "${file}" is not a schema PostgreSQL can load: ${(error as Error).message}`, {
          hint: 'Give a schema-only dump (pg_dump --schema-only). Nothing was written.',
        });
      }
      await db.exec('RESET search_path');
      const query: CatalogQuery = async <Row>(text: string, params: unknown[]) => (await db.query<Row>(text, params)).rows;
      return await readCatalog(query, schema);
    } finally {
      await db.close();
    }
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
