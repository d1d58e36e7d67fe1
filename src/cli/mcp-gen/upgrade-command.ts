/**
 * `mcp-gen upgrade`: re-render with this generator's templates and merge, never losing an
 * edit, then run the repo's own checks on the result; `--check` is what CI runs. Exit codes:
 * 0 done / up to date, 2 conflicts or steps left to the user (or with --check: an upgrade
 * pending, or failing checks), 1 error.
 */
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { readRepoState } from '../../upgrade/repo-state.js';
import { planUpgrade, type UpgradePlan } from '../../commands/upgrade.js';
import type { ChangeList } from '../../apply/changes.js';
import { formatUpdate, loadDiffs, visibleChanges } from '../../apply/print-changes.js';
import { writeChanges } from '../../apply/write-changes.js';
import { EXIT_FAILURE, UserError } from '../../user-error.js';
import { conflictMarkerPaths } from '../../commands/doctor.js';
import { checkRepo } from '../../commands/repo-checks.js';
import { report as formatProblems } from './doctor-command.js';
import type { Output } from '../output.js';
import { contentsBefore } from './repo-changes.js';

interface UpgradeOptions {
  dir: string;
  dryRun?: boolean;
  check?: boolean;
  json?: boolean;
  allowDirty?: boolean;
  conflict: 'markers' | 'rej';
}

export function upgradeCommand(output: Output, setExit: (code: number) => void): Command {
  return new Command('upgrade')
    .description("Bring the repo to this generator's templates: merge template-owned files three ways, regenerate managed ones, run migrations")
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--dry-run', 'print the plan and unified diffs, and write nothing')
    .option('--check', 'write nothing; exit 0 if up to date (doctor and the contract check included), 2 if not (for CI)')
    .option('--json', 'with --check or --dry-run: the plan as JSON')
    .option('--allow-dirty', 'upgrade even with uncommitted changes')
    .addOption(new Option('--conflict <style>', 'how to leave a conflict: markers in the file, or the file kept and a .rej beside it').choices(['markers', 'rej']).default('markers'))
    .addHelpText('after', '\nAfterwards it runs doctor and, with node_modules, the repo\'s contract check; a failure is a step left to you.\nExit codes: 0 done or up to date, 2 conflicts or steps left (with --check: behind, or the checks fail), 1 error.')
    .action(async (options: UpgradeOptions) => {
      setExit(await upgrade(options, output));
    });
}

async function upgrade(options: UpgradeOptions, output: Output): Promise<number> {
  const dir = resolve(options.dir);
  const repo = await readRepoState(dir);
  const writes = !options.check && !options.dryRun;
  if (writes && !options.allowDirty) await refuseDirtyTree(dir);
  const upgrade = await planUpgrade(repo);
  const visible = visibleChanges(upgrade.plan);
  // A kept user edit is not something to do: a repo with edits can be up to date.
  const pending = visible.filter((c) => c.action !== 'keep');
  // Only --check and the JSON plan report markers left on disk; a writing upgrade does not need them.
  const markersOnDisk = options.check || (options.dryRun && options.json) ? await conflictMarkerPaths(repo) : [];

  if (options.check) {
    const behind = upgrade.from !== upgrade.to || pending.length > 0 || markersOnDisk.length > 0;
    // Templates current is not "up to date" while the repo's own checks fail.
    // Nothing was written: the checks read the repo as the plan read it.
    const checks = behind ? undefined : await checkRepo(repo, { contract: true });
    const problems = checks?.problems ?? [];
    const upToDate = !behind && problems.length === 0;
    if (options.json) output.out(JSON.stringify({ ...summary(upgrade, markersOnDisk, upToDate), problems }, null, 2));
    else if (upToDate) output.out(`Up to date with create-mcp-server ${upgrade.to}.${checks?.contractChecked ? '' : ' (The contract check did not run: no node_modules.)'}`);
    else if (!behind) output.out(`The templates are those of create-mcp-server ${upgrade.to}, but the repo's checks fail:\n${formatProblems(problems)}`);
    else {
      output.out(header(upgrade));
      output.out(formatUpdate(upgrade.plan));
      for (const path of markersOnDisk) output.out(`  unresolved conflict markers in ${path}`);
      if (upgrade.plan.handEdited.length > 0) output.out(handEditNotice(upgrade.plan.handEdited, 'will regenerate'));
    }
    return upToDate ? 0 : 2;
  }

  if (options.dryRun) {
    if (options.json) {
      output.out(JSON.stringify(summary(upgrade, markersOnDisk, false), null, 2));
      return 0;
    }
    const before = await contentsBefore(repo, { ...upgrade.plan, changes: visible });
    const plan = await withRejects(upgrade.plan, options.conflict);
    await loadDiffs();
    output.out(header(upgrade));
    output.out(formatUpdate(plan, { diffs: true, before }));
    if (upgrade.plan.handEdited.length > 0) output.out(handEditNotice(upgrade.plan.handEdited, 'would regenerate'));
    output.out('Dry run: nothing was written.');
    return 0;
  }

  const plan = await withRejects(upgrade.plan, options.conflict);
  const written = await writeChanges(dir, plan.changes);
  output.out(header(upgrade));
  output.out(formatUpdate(plan));
  if (plan.handEdited.length > 0) output.err(`\n${handEditNotice(plan.handEdited, 'regenerated')}`);
  // The repo as the user will run it: doctor's checks and its own contract check, on what was
  // written (read anew), or on the repo as the plan read it when nothing was.
  const checks = await checkRepo(written > 0 ? await readRepoState(dir) : repo, { contract: true });
  const problems = checks.problems.filter((p) => !(p.check === 'conflict-markers' && p.path && plan.conflicts.includes(p.path)));
  const steps = [...upgrade.followUps, ...problems.map((p) => `${p.check}${p.path ? ` ${p.path}` : ''}: ${p.message}\n      fix: ${p.fix}`)];
  if (plan.conflicts.length > 0) {
    const how = options.conflict === 'rej' ? 'the template change is in <file>.rej; apply what you want of it' : 'resolve the <<<<<<< / >>>>>>> blocks';
    output.err(`\n${plan.conflicts.length} conflict(s): ${plan.conflicts.join(', ')}\n${how}, then commit. The next upgrade will not raise them again.`);
  }
  if (steps.length > 0) {
    output.err(`\nUpgraded to create-mcp-server ${upgrade.to}, with ${steps.length} step${steps.length === 1 ? '' : 's'} left to you:\n${steps.map((s) => `  - ${s}`).join('\n')}`);
  }
  if (plan.conflicts.length > 0 || steps.length > 0) return 2;
  const untouched = upgrade.from === upgrade.to && pending.length === 0;
  const checked = checks.contractChecked ? ' The contract check and doctor pass.' : '';
  const next = checks.contractChecked
    ? 'Review with git diff, run npm install && npm test, then commit.'
    : 'Review with git diff, then run npm install, npm run contract and npm test (the contract check needs node_modules), and commit.';
  output.out(untouched ? `Already up to date.${checked}` : `Upgraded to create-mcp-server ${upgrade.to}.${checked} ${next}`);
  return 0;
}

/** Managed files edited by hand: the one thing an upgrade overwrites, so it is said where it is seen. */
function handEditNotice(paths: string[], verb: string): string {
  const list = paths.map((p) => `  ${p} (yours ${verb === 'regenerated' ? 'is' : 'goes'} in ${p}.orig)`).join('\n');
  return `${paths.length} generated file${paths.length === 1 ? '' : 's'} edited by hand, which the upgrade ${verb} (generated files are not merged):\n${list}\nMove each change into mcp-gen.json, a tool file or a merged file, then delete the .orig.`;
}

function header(upgrade: UpgradePlan): string {
  const migrations = upgrade.migrations.map((m) => `\n  migration ${m.id}: ${m.description}`).join('');
  return `Upgrade from create-mcp-server ${upgrade.from} to ${upgrade.to}${migrations}`;
}

function summary(upgrade: UpgradePlan, markersOnDisk: string[], upToDate: boolean) {
  return {
    handEdited: upgrade.plan.handEdited,
    followUps: upgrade.followUps,
    from: upgrade.from,
    to: upgrade.to,
    upToDate,
    migrations: upgrade.migrations.map((m) => ({ id: m.id, description: m.description })),
    changes: visibleChanges(upgrade.plan).map((c) => ({ path: c.path, class: c.class, action: c.action, ...(c.to ? { to: c.to } : {}), ...(c.reason ? { reason: c.reason } : {}) })),
    conflicts: upgrade.plan.conflicts,
    unresolvedMarkers: markersOnDisk,
  };
}

/** `--conflict rej`: keep the user's file as it is, and put the template's change beside it. */
async function withRejects(plan: ChangeList, style: UpgradeOptions['conflict']): Promise<ChangeList> {
  if (style !== 'rej') return plan;
  const { createTwoFilesPatch } = await import('diff');
  const changes = plan.changes.flatMap((c) => {
    if (c.action !== 'conflict' || !c.sides) return [c];
    const rej = createTwoFilesPatch(`a/${c.path}`, `b/${c.path}`, c.sides.base, c.sides.theirs, 'last generated', 'new template');
    return [
      { ...c, contents: undefined, sides: undefined, reason: `${c.reason}; yours kept, the template change is in ${c.path}.rej` },
      { path: `${c.path}.rej`, class: 'scaffold' as const, action: 'create' as const, contents: rej },
    ];
  });
  return { ...plan, changes };
}

async function refuseDirtyTree(dir: string): Promise<void> {
  const status = await (await import('execa')).execa('git', ['status', '--porcelain'], { cwd: dir, reject: false });
  if (status.exitCode !== 0) throw new UserError(`${dir} is not a git repository, so an upgrade could not be reviewed or undone; pass --allow-dirty to upgrade anyway`, { exitCode: EXIT_FAILURE });
  const lines = status.stdout.split('\n').filter(Boolean);
  if (lines.length > 0) {
    const files = lines.slice(0, 5).map((l) => l.slice(3));
    throw new UserError(`uncommitted changes (${files.join(', ')}${files.length === 5 ? ', ...' : ''}): commit or stash them first, so the upgrade is one reviewable change, or pass --allow-dirty`, {
      exitCode: EXIT_FAILURE,
    });
  }
}
