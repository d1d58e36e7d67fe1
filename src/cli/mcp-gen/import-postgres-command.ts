/**
 * `mcp-gen import postgres [source]`: a PostgreSQL schema (the database in DATABASE_URL, or a
 * schema-only dump) -> governed tools over the chosen tables -> changes -> written.
 */
import { Command } from 'commander';
import { isAbsolute, relative, resolve } from 'node:path';
import { readRepoState } from '../../upgrade/repo-state.js';
import { planImportPostgres } from '../../commands/import-postgres.js';
import { EXIT_OK } from '../../user-error.js';
import type { Output } from '../output.js';
import { addPostgresImportOptions, checkPostgresSource, POSTGRES_FLAG_OF, postgresImportFlags, type PostgresImportFlags } from '../postgres-import-flags.js';
import { reportLeftToYou, showOrWrite } from './repo-changes.js';

interface ImportPostgresOptions extends PostgresImportFlags {
  dir: string;
  dryRun?: boolean;
  diff?: boolean;
}

/** The flag that set each overlay field, for error lines; the others are named in mcp-gen.json. */
const FLAG_OF: Record<string, string> = { source: '<source>', ...POSTGRES_FLAG_OF };

export function importPostgresCommand(output: Output, setExit: (code: number) => void): Command {
  const command = new Command('postgres')
    .description('Tools over PostgreSQL tables: get_, list_ and search_ per table (create_ and update_ with --writes), tenant-scoped by row-level security')
    .argument('[source]', 'DATABASE_URL (the database that variable names; default) or the path of a schema-only SQL dump (pg_dump --schema-only)');
  return addPostgresImportOptions(command)
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--dry-run', 'list the tools and files it would write, and write nothing')
    .option('--diff', 'with --dry-run, print unified diffs too')
    .action(async (source: string | undefined, options: ImportPostgresOptions) => {
      setExit(await runImport(source, options, output));
    });
}

async function runImport(source: string | undefined, options: ImportPostgresOptions, output: Output): Promise<number> {
  const dir = resolve(options.dir);
  const repo = await readRepoState(dir);
  const flags: Record<string, unknown> = postgresImportFlags(options);
  checkPostgresSource(source, '<source>');
  if (source !== undefined) {
    // A dump's path is kept relative to the repo, so a re-import finds it from any directory.
    flags.source = source === 'DATABASE_URL' ? source : relative(dir, isAbsolute(source) ? source : resolve(source)) || source;
  }
  // A field the last import stored is named in mcp-gen.json; one given now, or defaulted, by its flag.
  const stored = ((repo.rawSpec as { postgresImport?: Record<string, unknown> }).postgresImport ?? {}) as Record<string, unknown>;
  const label = (path: readonly PropertyKey[]) => {
    const field = String(path[0] ?? '');
    const fromFlag = field in flags || !(field in stored);
    return fromFlag && FLAG_OF[field] ? FLAG_OF[field]! : `mcp-gen.json: postgresImport.${path.map(String).join('.')}`;
  };
  const result = await planImportPostgres(repo, flags, { databaseUrl: process.env['DATABASE_URL'], label });

  const lines = [`Tools from ${result.imported.tables.length} table(s) of schema "${result.imported.schema.schema}":`];
  for (const tool of result.spec.tools.filter((t) => t.query)) {
    const approval = tool.approval === 'none' ? '' : `, approval ${tool.approval}`;
    lines.push(`  ${tool.name.padEnd(32)} ${tool.access}${approval}  (${tool.query!.kind} on ${tool.query!.table}${tool.query!.tenant ? '' : ', shared'})`);
  }
  for (const name of result.removed) {
    const kept = result.keptRemoved.find((k) => k.tool === name);
    lines.push(
      kept
        ? `  ${name.padEnd(32)} removed (its table or kind is no longer imported): no longer served; you edited ${kept.edited.join(', ')}, so ${kept.paths.join(', ')} are kept for you to delete (its test fails while they stay)`
        : `  ${name.padEnd(32)} removed (its table or kind is no longer imported): no longer served; its files are deleted`,
    );
  }
  if (result.addedBackend) lines.push('The postgres backend is added to the repo.');
  lines.push(result.migrationPath ? `Migration: ${result.migrationPath}` : 'No new migration: the last import\'s migration already holds this schema.');
  output.out(lines.join('\n'));

  if (!(await showOrWrite(repo, result.changes, options, output))) {
    output.out('Dry run: nothing was written.');
    return EXIT_OK;
  }
  const code = reportLeftToYou(result.changes, output);
  output.out('Next: npm run db:migrate (on your database: as its owner, DATABASE_MIGRATION_URL), then npm test; npm run contract reports what changed.');
  return code;
}
