/**
 * upgrade: bring a generated repo to this generator's templates without losing an edit.
 * (repo state) -> pending migrations -> migrated spec and files -> re-render -> changes.
 * Writes nothing; a migration that throws aborts the whole plan.
 */
import eq from 'semver/functions/eq.js';
import gt from 'semver/functions/gt.js';
import valid from 'semver/functions/valid.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { GENERATOR_VERSION } from '../version.js';
import { replaceChange, type Change, type ChangeList } from '../apply/changes.js';
import { MIGRATIONS, pendingMigrations, type Migration } from '../upgrade/migrations.js';
import { RepoOverlay } from '../upgrade/repo-overlay.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { EXIT_FAILURE, UserError } from '../user-error.js';
import { respec } from './respec.js';
import { isStateFile } from '../upgrade/state-files.js';

export class MigrationFailed extends UserError {
  constructor(readonly migration: Migration, cause: unknown) {
    super(`migration ${migration.id} (${migration.description}) failed: ${(cause as Error)?.message ?? String(cause)}; nothing was written`, { exitCode: EXIT_FAILURE });
  }
}

export interface UpgradePlan {
  from: string;
  to: string;
  migrations: Migration[];
  spec: CompleteProjectSpec;
  plan: ChangeList;
  /** Steps the migrations could not take for the user: the upgrade names them and exits 2. */
  followUps: string[];
}

export async function planUpgrade(repo: RepoState, migrations: readonly Migration[] = MIGRATIONS): Promise<UpgradePlan> {
  const raw = repo.rawSpec as { generator?: { version?: string; migrations?: string[] } };
  const from = raw.generator?.version ?? '0.0.0';
  const to = GENERATOR_VERSION;
  if (!valid(from)) throw new UserError(`mcp-gen.json: generator.version "${from}" is not a semantic version`, { exitCode: EXIT_FAILURE });
  if (gt(from, to)) {
    throw new UserError(`this repo was made by create-mcp-server ${from}; this is ${to}, and an upgrade never goes back. Use ${from} or later.`, { exitCode: EXIT_FAILURE });
  }
  const applied = raw.generator?.migrations ?? [];
  const overlay = new RepoOverlay(repo);
  const specObject = overlay.rawSpec as Record<string, unknown>;
  // A repo of this version's development builds may lack what a migration of its own version adds.
  const repairs: Migration[] = [];
  for (const migration of migrations) {
    if (migration.needed && eq(migration.version, from) && !applied.includes(migration.id) && (await migration.needed({ spec: specObject, repo: overlay }))) repairs.push(migration);
  }
  const pending = [...repairs, ...pendingMigrations(migrations, from, to, applied)];

  // The changes are planned against the migrated files, so they merge like any other.
  const { spec, changes } = await respec(overlay, async () => {
    for (const migration of pending.filter((m) => m.stage === 'before')) await run(migration, { spec: specObject, repo: overlay });
    return {
      raw: specObject,
      generator: { version: to, migrations: [...applied, ...pending.map((m) => m.id)] },
      afterRender: async (tree) => {
        for (const migration of pending.filter((m) => m.stage === 'after')) await run(migration, { spec: specObject, repo: overlay, tree });
      },
    };
  });
  await includeMigrationEdits(changes, overlay, repo);
  return { from, to, migrations: pending, spec, plan: changes, followUps: overlay.followUps() };
}

async function run(migration: Migration, ctx: Parameters<Migration['run']>[0]): Promise<void> {
  try {
    await migration.run(ctx);
  } catch (err) {
    throw new MigrationFailed(migration, err);
  }
}

/**
 * The planner compared the render with the migrated files; what a migration did must be
 * written even where the plan keeps "the disk" (which is the migrated content): a moved file
 * is a rename, and a file it changed is written (after the move, for a moved one).
 */
async function includeMigrationEdits(list: ChangeList, overlay: RepoOverlay, disk: RepoState): Promise<void> {
  const renames = overlay.renames();
  const movedFrom = new Map([...renames].map(([from, to]) => [to, from]));
  for (const [path, contents] of overlay.edits()) {
    const planned = list.changes.find((c) => c.path === path);
    if (planned && planned.contents !== undefined && planned.action !== 'keep') continue; // the plan writes it anyway
    if (planned?.action === 'delete') continue;
    // What the path holds once the renames are done: a moved file holds what it held before.
    const source = movedFrom.get(path);
    const before = await disk.readDisk(source ?? path);
    let change: Change | undefined;
    if (contents === null) {
      const to = renames.get(path);
      // A state file a migration removes (the pre-0.5.0 merge bases) is bookkeeping, not reported.
      const cls = planned?.class ?? (isStateFile(path) ? 'state' : 'merged');
      if (to !== undefined) change = { path, class: cls, action: 'rename', to, reason: 'moved by a migration' };
      else if (before !== undefined) change = { path, class: cls, action: 'delete', reason: 'moved by a migration' };
    } else if (contents !== before) {
      const action = source === undefined && before === undefined ? 'create' : 'update';
      change = { path, class: planned?.class ?? 'scaffold', action, contents, reason: 'changed by a migration' };
    }
    if (change) replaceChange(list, change);
  }
}
