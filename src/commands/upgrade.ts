/**
 * upgrade: bring a generated repo to this generator's templates without losing an edit.
 * (repo state) -> pending migrations -> migrated spec and files -> re-render -> update plan.
 * Writes nothing; a migration that throws aborts the whole plan.
 */
import semver from 'semver';
import { parseSpec } from '../spec/parse.js';
import { formatPath } from '../spec/issues.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { renderProject } from '../render/render-project.js';
import { GENERATOR_VERSION } from '../version.js';
import { MIGRATIONS, pendingMigrations, type Migration } from '../upgrade/migrations.js';
import { planUpdate, type PlannedUpdate, type UpdatePlan } from '../upgrade/plan-update.js';
import { RepoOverlay } from '../upgrade/repo-overlay.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { isStateFile } from '../upgrade/state-files.js';

export class UpgradeRefused extends Error {}

export class MigrationFailed extends Error {
  constructor(readonly migration: Migration, cause: unknown) {
    super(`migration ${migration.id} (${migration.description}) failed: ${(cause as Error)?.message ?? String(cause)}; nothing was written`);
  }
}

export interface UpgradePlan {
  from: string;
  to: string;
  migrations: Migration[];
  spec: CompleteProjectSpec;
  plan: UpdatePlan;
  /** Steps the migrations could not take for the user: the upgrade names them and exits 2. */
  followUps: string[];
}

export async function planUpgrade(repo: RepoState, migrations: readonly Migration[] = MIGRATIONS): Promise<UpgradePlan> {
  const raw = repo.rawSpec as { generator?: { version?: string; migrations?: string[] } };
  const from = raw.generator?.version ?? '0.0.0';
  const to = GENERATOR_VERSION;
  if (!semver.valid(from)) throw new UpgradeRefused(`mcp-gen.json: generator.version "${from}" is not a semantic version`);
  if (semver.gt(from, to)) {
    throw new UpgradeRefused(`this repo was made by create-mcp-server ${from}; this is ${to}, and an upgrade never goes back. Use ${from} or later.`);
  }
  const applied = raw.generator?.migrations ?? [];
  const pending = pendingMigrations(migrations, from, to, applied);
  const overlay = new RepoOverlay(repo);
  const specObject = overlay.rawSpec as Record<string, unknown>;

  for (const migration of pending.filter((m) => m.stage === 'before')) await run(migration, { spec: specObject, repo: overlay });
  const parsed = parseSpec(specObject, (path) => `mcp-gen.json: ${formatPath(path)}`);
  const spec: CompleteProjectSpec = { ...parsed, generator: { version: to, migrations: [...applied, ...pending.map((m) => m.id)] } };
  const tree = await renderProject(spec);
  for (const migration of pending.filter((m) => m.stage === 'after')) await run(migration, { spec: specObject, repo: overlay, tree });

  const plan = await planUpdate(tree, overlay);
  await includeMigrationEdits(plan, overlay, repo);
  return { from, to, migrations: pending, spec, plan, followUps: overlay.followUps() };
}

async function run(migration: Migration, ctx: Parameters<Migration['run']>[0]): Promise<void> {
  try {
    await migration.run(ctx);
  } catch (err) {
    throw new MigrationFailed(migration, err);
  }
}

/**
 * The planner compared the render with the migrated files; files a migration changed must be
 * written even where the plan keeps "the disk" (which is the migrated content).
 */
async function includeMigrationEdits(plan: UpdatePlan, overlay: RepoOverlay, disk: RepoState): Promise<void> {
  for (const [path, contents] of overlay.edits()) {
    const before = await disk.readDisk(path);
    const index = plan.changes.findIndex((c) => c.path === path);
    const planned = index === -1 ? undefined : plan.changes[index]!;
    if (planned && planned.contents !== undefined && planned.action !== 'keep') continue; // the plan writes it anyway
    if (planned?.action === 'delete') continue;
    let change: PlannedUpdate | undefined;
    if (contents === null) {
      // A state file a migration removes (the pre-0.5.0 merge bases) is bookkeeping, not reported.
      const cls = planned?.class ?? (isStateFile(path) ? 'state' : 'merged');
      if (before !== undefined) change = { path, class: cls, action: 'delete', reason: 'moved by a migration' };
    } else if (contents !== before) {
      change = { path, class: planned?.class ?? 'scaffold', action: before === undefined ? 'create' : 'update', contents, reason: 'changed by a migration' };
    }
    if (!change) continue;
    if (index === -1) plan.changes.push(change);
    else plan.changes[index] = change;
  }
  plan.changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
