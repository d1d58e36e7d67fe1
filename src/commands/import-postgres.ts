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
import { replaceChange, type ChangeList } from '../apply/changes.js';
import { sha256 } from '../upgrade/state-files.js';
import { toolFileName } from '../spec/project-spec.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { importPostgres, revocationSql, REVOCATIONS_MARK, type ImportedTool, type PostgresImport } from '../import/postgres/index.js';
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
  /** Of those, the ones whose files stay because you edited them: each with the paths kept. */
  keptRemoved: Array<{ tool: string; paths: string[]; edited: string[] }>;
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
  const stored = current.postgresImport;
  const rawOverlay: Record<string, unknown> = { ...(stored ?? { source: 'DATABASE_URL' }), ...flags };
  // Tables chosen anew (--table) keep the last import's shared ones that are still among them.
  if (Array.isArray(flags.tables) && flags.shared === undefined && stored) {
    rawOverlay.shared = stored.shared.filter((table) => (flags.tables as unknown[]).includes(table));
  }
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

  const removed = previous.map((t) => t.name).filter((n) => !names.has(n));
  const keptRemoved = await settleRemovedTools(result.changes, repo, removed);

  // Grants for what this import serves; revoked for what the previous one served and this one does not.
  const revocations = revocationSql(...noLongerServed(previous, imported.tools));
  const migration = revocations ? `${imported.migration}\n${revocations}` : imported.migration;
  const migrationPath = await migrationFor(repo, migration, [...result.changes.changes.map((c) => c.path)]);
  if (migrationPath) {
    replaceChange(result.changes, {
      path: migrationPath,
      class: 'scaffold',
      action: 'create',
      contents: migration,
      reason: revocations ? 'row-level security and grants for the imported tables; grants revoked on those no longer served' : 'row-level security and grants for the imported tables',
    });
  }
  return { ...result, imported, migrationPath, removed, keptRemoved, addedBackend };
}

/**
 * A removed tool's files, as the update table has them for a file the templates dropped: deleted
 * while untouched since generated, kept when you edited one. The planner alone would keep the
 * tool file and test (scaffold: yours) and delete the query module, leaving a tool file that
 * imports a module gone; so a tool's files go together: all deleted, or all kept and reported.
 */
async function settleRemovedTools(changes: ChangeList, repo: RepoState, removed: readonly string[]): Promise<ImportPostgresResult['keptRemoved']> {
  const kept: ImportPostgresResult['keptRemoved'] = [];
  for (const name of removed) {
    const file = toolFileName(name);
    const paths = [`src/tools/${file}.ts`, `test/tools/${file}.test.ts`, `src/backends/postgres/imported/${file}.ts`];
    const onDisk: Array<{ path: string; class: NonNullable<ChangeList['changes'][number]['class']> }> = [];
    const edited: string[] = [];
    for (const path of paths) {
      const entry = repo.manifest[path];
      const change = changes.changes.find((c) => c.path === path);
      // Only a file the render dropped (a tool of the same name made again keeps its files).
      if (!entry || !change || !['keep', 'delete', 'conflict'].includes(change.action)) continue;
      const disk = await repo.readDisk(path);
      if (disk === undefined) continue;
      onDisk.push({ path, class: entry.class });
      if (sha256(disk) !== entry.sha256) edited.push(path);
    }
    if (onDisk.length === 0) continue;
    for (const { path, class: cls } of onDisk) {
      replaceChange(
        changes,
        edited.length === 0
          ? { path, class: cls, action: 'delete', reason: `${name} is no longer imported` }
          : { path, class: cls, action: 'keep', reason: `${name} is no longer imported, but you edited ${edited.join(', ')}: kept for you to remove` },
      );
    }
    changes.conflicts = changes.conflicts.filter((path) => !paths.includes(path));
    if (edited.length > 0) kept.push({ tool: name, paths: onDisk.map((f) => f.path), edited });
  }
  return kept;
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

/** The tables the previous import's tools read and this one's do not, and those it no longer writes (but still reads). */
function noLongerServed(
  previous: readonly ToolSpec[],
  now: readonly ImportedTool[],
): [Array<{ schema: string; table: string }>, Array<{ schema: string; table: string }>] {
  const key = (q: { schema: string; table: string }) => JSON.stringify([q.schema, q.table]);
  const tables = (tools: ReadonlyArray<{ query?: ToolSpec['query'] }>, writes: boolean) => {
    const found = new Map<string, { schema: string; table: string }>();
    for (const { query } of tools) {
      if (query && (!writes || query.kind === 'create' || query.kind === 'update')) found.set(key(query), { schema: query.schema, table: query.table });
    }
    return found;
  };
  const read = tables(now, false);
  const written = tables(now, true);
  const dropped = [...tables(previous, false)].filter(([k]) => !read.has(k)).map(([, t]) => t);
  const unwritten = [...tables(previous, true)].filter(([k]) => read.has(k) && !written.has(k)).map(([, t]) => t);
  return [dropped, unwritten];
}

/** The next migration's path, or undefined when the last import migration already holds `sql` (its revocations aside). */
async function migrationFor(repo: RepoState, sql: string, rendered: string[]): Promise<string | undefined> {
  let onDisk: string[] = [];
  try {
    onDisk = (await readdir(join(repo.dir, MIGRATIONS_DIR))).filter((name) => name.endsWith('.sql'));
  } catch {
    // no migrations yet: the postgres backend is being added with this import
  }
  const files = [...new Set([...onDisk, ...rendered.filter((p) => p.startsWith(`${MIGRATIONS_DIR}/`)).map((p) => p.slice(MIGRATIONS_DIR.length + 1))])].sort();
  const lastImport = files.filter((name) => name.endsWith(MIGRATION_SUFFIX)).at(-1);
  const last = lastImport === undefined ? undefined : await repo.readDisk(`${MIGRATIONS_DIR}/${lastImport}`);
  // What the last one revoked is done: the same schema without new revocations needs no migration.
  const schemaPart = (text: string) => text.split(`\n${REVOCATIONS_MARK}\n`)[0];
  if (last !== undefined && (last === sql || (!sql.includes(REVOCATIONS_MARK) && schemaPart(last) === sql))) return undefined;
  const next = Math.max(0, ...files.map((name) => Number(/^(\d+)_/.exec(name)?.[1] ?? 0))) + 1;
  return `${MIGRATIONS_DIR}/${String(next).padStart(4, '0')}${MIGRATION_SUFFIX}`;
}
