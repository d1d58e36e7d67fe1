/** `mcp-gen add-backend <kind>`: add a backend adapter, its config and readiness check. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { BACKEND_KINDS } from '../../spec/project-spec.js';
import { readRepoState } from '../../upgrade/repo-state.js';
import { planAddBackend } from '../../commands/add-backend.js';
import { EXIT_OK } from '../../user-error.js';
import type { Output } from '../output.js';
import { reportLeftToYou, showOrWrite } from './repo-changes.js';

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
      const repo = await readRepoState(resolve(options.dir));
      const { changes: plan } = await planAddBackend(repo, kind);
      if (!(await showOrWrite(repo, plan, options, output))) {
        output.out('Dry run: nothing was written.');
        return setExit(EXIT_OK);
      }
      output.out(`\nAdded the ${kind} backend.`);
      const code = reportLeftToYou(plan, output);
      output.out(`Next: npm install (new dependencies), set its variables (see .env.example), then mcp-gen add-tool <name> --backend ${kind}.`);
      setExit(code);
    });
}
