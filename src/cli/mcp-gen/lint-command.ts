/** `mcp-gen lint`: are the tools' names and descriptions good enough for a model to choose by? */
import { Command } from 'commander';
import { resolve } from 'node:path';

import { lintRepo } from '../../commands/lint.js';
import { formatReport } from '../../lint/lint-repo.js';
import { readRepoState } from '../../upgrade/repo-state.js';
import { EXIT_FAILURE, EXIT_OK } from '../../user-error.js';
import type { Output } from '../output.js';

interface LintOptions {
  dir: string;
  json?: boolean;
  strict?: boolean;
}

export function lintCommand(output: Output, setExit: (code: number) => void): Command {
  return new Command('lint')
    .description("Lint the tools' names and descriptions (mcp-gen.json and src/tools/): verb-first names, descriptions that say when to use a tool, described parameters, no two alike")
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--json', 'print the report as JSON')
    .option('--strict', 'fail on warnings too')
    .addHelpText('after', '\nExit codes: 0 clean or warnings only, 1 errors (or warnings with --strict), 2 not a generated repo or an invalid mcp-gen.json.')
    .action(async (options: LintOptions) => {
      const report = await lintRepo(await readRepoState(resolve(options.dir)));
      if (options.json) output.out(JSON.stringify(report, null, 2));
      else for (const line of formatReport(report)) output.out(line);
      setExit(report.errors > 0 || (options.strict && report.warnings > 0) ? EXIT_FAILURE : EXIT_OK);
    });
}
