/**
 * import postgres: (repo state, overlay flags) -> the changes that import the tables. Writes
 * nothing. The schema and the overlay (`postgresImport` in mcp-gen.json) expand into ordinary
 * tool entries, each with its `query` binding, replacing the ones the previous import made; the
 * spec then takes the same path as add-tool (respec: parse, render, plan), so tool files stay
 * yours, the registry, docs and query modules are regenerated, and the contract check classifies
 * what changed. New tools join the contract lock; a changed schema adds a migration.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { PostgresImportSpec, type ToolSpec } from '../spec/project-spec.js';
import { describeIssues, SpecError, type FieldLabeler } from '../spec/issues.js';
import { toolLockEntry } from '../contract/tools-lock.js';
import { replaceChange } from '../apply/changes.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { importPostgres, type ImportedTool, type PostgresImport } from '../import/postgres/index.js';
import { addLockEntries } from './lock-entry.js';
import { currentSpec, inMcpGenJson, respec, type Respec } from './respec.js';

export const MIGRATIONS_DIR = 'db/migrations';
const MIGRATION_SUFFIX = '_postgres_import.sql';

export interface ImportPostgresResult extends Respec {
  imported: PostgresImport;
  /** The migration this import adds, or undefined: the last import's already says the same. */
  migrationPath: string | undefined;
  /** Imported tools of the previous import that this one no longer makes. */
  removed: string[];
  /** Whether the postgres backend was added to the repo for the import. */
  addedBackend: boolean;
}

/**
 * `flags`: the overlay fields given on the command line; the rest come from mcp-gen.json's
 * `postgresImport` (a re-import), else their defaults.
 */
export async function planImportPostgres(
  repo: RepoState,
  flags: Record<string, unknown>,
  options: { databaseUrl: string | undefined; label: FieldLabeler },
): Promise<ImportPostgresResult> {
  const current = currentSpec(repo);
  const rawOverlay = { ...(current.postgresImport ?? { source: 'DATABASE_URL' }), ...flags };
  const parsed = PostgresImportSpec.safeParse(rawOverlay);
  if (!parsed.success) throw new SpecError(describeIssues(parsed.error.issues, rawOverlay, options.label));
  const overlay = parsed.data;
  const imported = await importPostgres(overlay, {
    repoDir: repo.dir,
    databaseUrl: options.databaseUrl,
    label: (field) => options.label([field]),
  });

  const previous = current.tools.filter((t) => t.query);
  const own = new Set(current.tools.filter((t) => !t.query).map((t) => t.name));
  const taken = imported.tools.filter((t) => own.has(t.name)).map((t) => t.name);
  if (taken.length > 0) {
    throw new SpecError(
      taken.map((name) => `${options.label(['overrides'])}: "${name}" is already a tool of this repo that was not imported; give the imported one another name: "overrides": { "${name}": { "name": "…" } }`),
    );
  }
  const byName = new Map(previous.map((t) => [t.name, t]));
  const tools = [...current.tools.filter((t) => !t.query), ...imported.tools.map((tool) => keepUserFields(tool, byName.get(tool.name)))];
  const addedBackend = !current.backends.some((b) => b.kind === 'postgres');
  const raw = {
    ...(repo.rawSpec as Record<string, unknown>),
    backends: addedBackend ? [...current.backends, { kind: 'postgres' }] : current.backends,
    tools,
    postgresImport: overlay,
  };
  const result = await respec(repo, () => ({ raw, label: inMcpGenJson }));

  const names = new Set(imported.tools.map((t) => t.name));
  const lockText = await repo.readDisk('contracts/tools.lock.json');
  const locked = new Set(Object.keys((lockText ? (JSON.parse(lockText) as { tools?: object }).tools : undefined) ?? {}));
  const added = result.spec.tools.filter((t) => names.has(t.name) && !locked.has(t.name));
  await addLockEntries(result.changes, repo, 'tools', added.map((t) => [t.name, toolLockEntry(t)] as const));

  const migrationPath = await migrationFor(repo, imported.migration, [...result.changes.changes.map((c) => c.path)]);
  if (migrationPath) {
    replaceChange(result.changes, { path: migrationPath, class: 'scaffold', action: 'create', contents: imported.migration, reason: 'row-level security and grants for the imported tables' });
  }
  return { ...result, imported, migrationPath, removed: previous.map((t) => t.name).filter((n) => !names.has(n)), addedBackend };
}

/**
 * What the user set on an imported tool in mcp-gen.json survives a re-import: its version (a bump
 * the contract check asked for), cache and response budget. Name, description, scopes and rate
 * limit are curated in postgresImport.overrides.
 */
function keepUserFields(tool: ImportedTool, before: ToolSpec | undefined): Record<string, unknown> {
  if (!before) return tool;
  return {
    ...tool,
    version: before.version,
    ...(before.cache ? { cache: before.cache } : {}),
    ...(before.maxResponseTokens !== undefined ? { maxResponseTokens: before.maxResponseTokens } : {}),
  };
}

/**
 * `create-mcp-server --postgres-import <source>` (and a --config with `postgresImport`): the raw
 * spec of a new repo with the imported tools, the postgres backend and the overlay in it, and the
 * migration to add. A dump's path is kept relative to the new repo.
 */
export async function expandPostgresImport(
  raw: Record<string, unknown>,
  options: {
    source: string | undefined;
    cwd: string;
    target: string;
    databaseUrl: string | undefined;
    /** Overlay fields given as flags (--table, --shared...): they override the config's. */
    flags?: Record<string, unknown>;
    /** The flag of each such field, for error lines. */
    flagOf?: Readonly<Record<string, string>>;
  },
): Promise<{ raw: Record<string, unknown>; migration: string }> {
  const given = (raw['postgresImport'] ?? {}) as Record<string, unknown>;
  const flags = options.flags ?? {};
  const source = options.source ?? (given['source'] as string | undefined) ?? 'DATABASE_URL';
  const rawOverlay = {
    ...given,
    ...flags,
    source: source === 'DATABASE_URL' ? source : relative(options.target, resolve(options.cwd, source)),
  };
  const label: FieldLabeler = (path) => {
    const field = String(path[0] ?? '');
    if (field === 'source') return '--postgres-import';
    // A field the config set is named there; one given as a flag, or defaulted, by its flag.
    const fromFlag = field in flags || !(field in given);
    return fromFlag && options.flagOf?.[field] ? options.flagOf[field]! : `postgresImport.${path.map(String).join('.')}`;
  };
  const parsed = PostgresImportSpec.safeParse(rawOverlay);
  if (!parsed.success) throw new SpecError(describeIssues(parsed.error.issues, rawOverlay, label));
  const imported = await importPostgres(parsed.data, { repoDir: options.target, databaseUrl: options.databaseUrl, label: (field) => label([field]) });
  const own = (raw['tools'] as Array<{ name?: string }> | undefined) ?? [];
  const taken = imported.tools.filter((t) => own.some((o) => o.name === t.name)).map((t) => t.name);
  if (taken.length > 0) throw new SpecError(taken.map((name) => `--tool: "${name}" is also a tool the import makes; give one of them another name (postgresImport.overrides)`));
  const backends = (raw['backends'] as Array<{ kind: string }> | undefined) ?? [];
  return {
    raw: {
      ...raw,
      backends: backends.some((b) => b.kind === 'postgres') ? backends : [...backends, { kind: 'postgres' }],
      tools: [...own, ...imported.tools],
      postgresImport: parsed.data,
    },
    migration: imported.migration,
  };
}

/** The path of the migration after those among `paths` (a new repo's rendered files). */
export function nextMigrationPath(paths: readonly string[]): string {
  const numbers = paths.filter((p) => p.startsWith(`${MIGRATIONS_DIR}/`)).map((p) => Number(/\/(\d+)_[^/]*$/.exec(p)?.[1] ?? 0));
  return `${MIGRATIONS_DIR}/${String(Math.max(0, ...numbers) + 1).padStart(4, '0')}${MIGRATION_SUFFIX}`;
}

/** The next migration's path, or undefined when the last import migration already holds `sql`. */
async function migrationFor(repo: RepoState, sql: string, rendered: string[]): Promise<string | undefined> {
  let onDisk: string[] = [];
  try {
    onDisk = (await readdir(join(repo.dir, MIGRATIONS_DIR))).filter((name) => name.endsWith('.sql'));
  } catch {
    // no migrations yet: the postgres backend is being added with this import
  }
  const files = [...new Set([...onDisk, ...rendered.filter((p) => p.startsWith(`${MIGRATIONS_DIR}/`)).map((p) => p.slice(MIGRATIONS_DIR.length + 1))])].sort();
  const lastImport = files.filter((name) => name.endsWith(MIGRATION_SUFFIX)).at(-1);
  if (lastImport && (await repo.readDisk(`${MIGRATIONS_DIR}/${lastImport}`)) === sql) return undefined;
  const next = Math.max(0, ...files.map((name) => Number(/^(\d+)_/.exec(name)?.[1] ?? 0))) + 1;
  return `${MIGRATIONS_DIR}/${String(next).padStart(4, '0')}${MIGRATION_SUFFIX}`;
}
