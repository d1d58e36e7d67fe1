/** `mcp-gen doctor`: report what is wrong in a generated repo, and how to fix each. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import type { Problem } from '../../commands/doctor.js';
import { checkRepo } from '../../commands/repo-checks.js';
import { readRepoState } from '../../upgrade/repo-state.js';
import type { Output } from '../output.js';

interface DoctorOptions {
  dir: string;
  json?: boolean;
  contract: boolean;
}

export function doctorCommand(output: Output, setExit: (code: number) => void): Command {
  return new Command('doctor')
    .description('Report what is wrong: invalid mcp-gen.json, hand-edited generated files, unregistered tools, a stale lock, conflict markers')
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--no-contract', 'skip running the contract check (npm run contract)')
    .option('--json', 'print the problems as JSON')
    .addHelpText('after', '\nExit codes: 0 healthy, 1 problems found, 2 not a generated repo.')
    .action(async (options: DoctorOptions) => {
      const { problems } = await checkRepo(await readRepoState(resolve(options.dir)), { contract: options.contract });
      if (options.json) output.out(JSON.stringify({ problems }, null, 2));
      else output.out(report(problems));
      setExit(problems.length === 0 ? 0 : 1);
    });
}

export function report(problems: Problem[]): string {
  if (problems.length === 0) return 'No problems found.';
  const lines = problems.map((p) => `✗ ${p.check}${p.path ? ` ${p.path}` : ''}: ${p.message}\n    fix: ${p.fix}`);
  return `${lines.join('\n')}\n${problems.length} problem${problems.length === 1 ? '' : 's'} found.`;
}
