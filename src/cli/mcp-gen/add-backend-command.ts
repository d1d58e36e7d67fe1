/** `mcp-gen add-backend <kind>`: add a backend adapter, its config and readiness check. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { BACKEND_KINDS } from '../../spec/project-spec.js';
import { readRepoState } from '../../upgrade/repo-state.js';
import { planAddBackend } from '../../commands/add-backend.js';
import { formatUpdatePlan } from '../../apply/print-update.js';
import { applyUpdate } from '../../apply/apply-update.js';
import type { Output } from '../output.js';

interface AddBackendOptions {
  dir: string;
  dryRun?: boolean;
  diff?: boolean;
}

export function addBackendCommand(output: Output, setExit: (code: number) => void): Command {
  return new Command('add-backend')
    .description('Add a backend: its tenant-scoped adapter, config and readiness check; tools can then name it')
    .argument('<kind>', `the backend: ${BACKEND_KINDS.join(' | ')}`)
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--dry-run', 'print what would change, and write nothing')
    .option('--diff', 'with --dry-run, print unified diffs too')
    .action(async (kind: string, options: AddBackendOptions) => {
      const dir = resolve(options.dir);
      const repo = await readRepoState(dir);
      const { plan } = await planAddBackend(repo, kind);
      if (options.dryRun) {
        const before = new Map<string, string | undefined>();
        if (options.diff) for (const c of plan.changes) before.set(c.path, await repo.readDisk(c.path));
        output.out(formatUpdatePlan(plan, { diffs: options.diff, before }));
        output.out('Dry run: nothing was written.');
        return setExit(0);
      }
      await applyUpdate(dir, plan);
      output.out(formatUpdatePlan(plan));
      for (const path of plan.conflicts) output.err(`conflict: ${path} has conflict markers to resolve`);
      output.out(`\nAdded the ${kind} backend. Next: npm install (new dependencies), set its variables (see .env.example), then mcp-gen add-tool <name> --backend ${kind}.`);
      setExit(plan.conflicts.length > 0 ? 2 : 0);
    });
}
