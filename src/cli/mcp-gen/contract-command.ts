/**
 * `mcp-gen contract`: runs the repo's own contract check (`npm run contract`), the same code
 * its tests and CI run, so the three can never disagree.
 */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readRepoState } from '../../upgrade/repo-state.js';
import { UserError } from '../../user-error.js';
import type { Output } from '../output.js';

interface ContractOptions {
  dir: string;
  update?: boolean;
  json?: boolean;
}

export function contractCommand(output: Output, setExit: (code: number) => void): Command {
  return new Command('contract')
    .description('Check the tools against contracts/tools.lock.json: classify every change, check version bumps, replay consumer calls')
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--update', 'record the current contract in the lock (refused while a version bump is missing)')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit codes: 0 the contract holds (or was recorded), 1 a violation or a stale lock, 2 not a generated repo.')
    .action(async (options: ContractOptions) => {
      const dir = resolve(options.dir);
      await readRepoState(dir);
      if (!existsSync(join(dir, 'node_modules'))) {
        throw new UserError(`${dir} has no node_modules: run npm install there first (the check loads the tools' own schemas)`);
      }
      const args = ['run', '--silent', 'contract', '--', ...(options.update ? ['--update'] : []), ...(options.json ? ['--json'] : [])];
      const result = await (await import('execa')).execa('npm', args, { cwd: dir, reject: false });
      if (result.stdout) output.out(result.stdout);
      if (result.stderr) output.err(result.stderr);
      setExit(result.exitCode === 0 ? 0 : 1);
    });
}
