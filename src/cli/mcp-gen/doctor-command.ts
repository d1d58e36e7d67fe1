/** `mcp-gen doctor`: report what is wrong in a generated repo, and how to fix each. */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readRepoState } from '../../upgrade/repo-state.js';
import { diagnose, type Problem } from '../../commands/doctor.js';
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
      const dir = resolve(options.dir);
      const problems = await diagnose(await readRepoState(dir));
      if (options.contract && existsSync(join(dir, 'node_modules')) && !problems.some((p) => p.check === 'spec' || p.check === 'missing-tool-file' || p.check === 'generator-version')) {
        const check = await (await import('execa')).execa('npm', ['run', '--silent', 'contract'], { cwd: dir, reject: false, all: true });
        if (check.exitCode !== 0) {
          const lines = (check.all ?? '').split('\n').filter((l) => l.trim() && !l.startsWith('npm warn'));
          const findings = lines.filter((l) => /^(breaking|minor|patch|VERSION|CONSUMER) /.test(l));
          const detail = findings.length > 0 ? findings : lines.slice(-5);
          problems.push({ check: 'lock', path: 'contracts/tools.lock.json', message: `the contract check fails:\n      ${detail.join('\n      ')}`, fix: 'bump the versions it names, then npm run contract -- --update' });
        }
      }
      if (options.json) output.out(JSON.stringify({ problems }, null, 2));
      else output.out(report(problems));
      setExit(problems.length === 0 ? 0 : 1);
    });
}

function report(problems: Problem[]): string {
  if (problems.length === 0) return 'No problems found.';
  const lines = problems.map((p) => `✗ ${p.check}${p.path ? ` ${p.path}` : ''}: ${p.message}\n    fix: ${p.fix}`);
  return `${lines.join('\n')}\n${problems.length} problem${problems.length === 1 ? '' : 's'} found.`;
}
