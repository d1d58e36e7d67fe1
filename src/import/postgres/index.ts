/**
 * `mcp-gen import postgres`, the part that knows PostgreSQL: read a schema (sources.ts,
 * catalog.ts), turn the chosen tables into tool specs (map-tools.ts) and write the migration
 * that gives them row-level security and grants (migration-sql.ts). Uses only src/spec; the
 * command (src/commands/import-postgres.ts) puts the result into the repo's spec.
 */
import { isAbsolute, resolve } from 'node:path';
import type { PostgresImportSpec } from '../../spec/project-spec.js';
import { mapSchema, type ImportPlan, type OverlayLabel } from './map-tools.js';
import { migrationSql } from './migration-sql.js';
import type { DbSchema } from './schema.js';
import { DATABASE_URL_SOURCE, readSchemaFromDump, readSchemaFromUrl } from './sources.js';

export { DATABASE_URL_SOURCE } from './sources.js';
export type { ImportedTool, ImportPlan, OverlayLabel } from './map-tools.js';
export { mapSchema } from './map-tools.js';
export { migrationSql, revocationSql, REVOCATIONS_MARK } from './migration-sql.js';
export type { DbSchema } from './schema.js';

export interface PostgresImport extends ImportPlan {
  schema: DbSchema;
  /** The migration's SQL. */
  migration: string;
}

/** Reads the overlay's source (a dump's path is relative to `repoDir`) and plans the import. */
export async function importPostgres(
  overlay: PostgresImportSpec,
  options: { repoDir: string; databaseUrl: string | undefined; label: OverlayLabel & ((field: 'source') => string) },
): Promise<PostgresImport> {
  const schema =
    overlay.source === DATABASE_URL_SOURCE
      ? await readSchemaFromUrl(options.databaseUrl, overlay.schema)
      : await readSchemaFromDump(isAbsolute(overlay.source) ? overlay.source : resolve(options.repoDir, overlay.source), options.label('source'), overlay.schema);
  const plan = mapSchema(schema, overlay, options.label);
  return { ...plan, schema, migration: migrationSql(schema, plan.tables, overlay) };
}
