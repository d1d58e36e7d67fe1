/** `mcp-gen add-prompt <name>`: flags -> a prompt spec -> changes -> written. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { toolFileName } from '../../spec/project-spec.js';
import { SpecError } from '../../spec/issues.js';
import { readRepoState } from '../../upgrade/repo-state.js';
import { planAddItem } from '../../commands/add-item.js';
import { EXIT_OK } from '../../user-error.js';
import type { Output } from '../output.js';
import { commonFields, flagLabel, type ItemOptions } from './add-item-options.js';
import { reportLeftToYou, showOrWrite } from './repo-changes.js';

interface AddPromptOptions extends ItemOptions {
  arg?: string[];
  message?: string;
}

const FLAG_OF: Record<string, string> = {
  name: '<name>',
  arguments: '--arg',
  message: '--message',
  title: '--title',
  description: '--description',
  scopes: '--scopes',
  rateLimit: '--rate-limit',
};

const collect = (value: string, previous: string[] = []) => [...previous, value];
/** `account`, `tone?` (optional), then `=description`. */
const ARG = /^([^=?]+)(\?)?(?:=(.*))?$/s;

export function addPromptCommand(output: Output, setExit: (code: number) => void): Command {
  return new Command('add-prompt')
    .description('Add a prompt for a common workflow: its file and test (yours to edit), the registry, README and RUNBOOK entries')
    .argument('<name>', 'prompt name: 1-128 characters of A-Z a-z 0-9 _ . -')
    .option('--arg <spec>', 'an argument, repeatable: name, name? (optional), then =description', collect)
    .option('--message <text>', 'the user message it returns, {argument} where each goes (default: its title and arguments)')
    .option('--title <text>', 'human-readable title (default: from the name)')
    .option('--description <text>', 'what the prompt is for')
    .option('--scopes <list>', 'comma list of scopes a caller needs (default: prompts:read)')
    .option('--rate-limit <perMinute>', "this prompt's own limit per tenant per minute")
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--dry-run', 'print what would change, and write nothing')
    .option('--diff', 'with --dry-run, print unified diffs too')
    .action(async (name: string, options: AddPromptOptions) => {
      setExit(await addPrompt(name, options, output));
    });
}

async function addPrompt(name: string, options: AddPromptOptions, output: Output): Promise<number> {
  const repo = await readRepoState(resolve(options.dir));
  const prompt = commonFields(name, options, 'reads');
  if (options.arg) {
    prompt.arguments = options.arg.map((value) => {
      const match = ARG.exec(value.trim());
      if (!match) throw new SpecError([`--arg: "${value}" should look like name, name? (optional) or name=description`]);
      return { name: match[1]!.trim(), required: match[2] === undefined, ...(match[3] ? { description: match[3].trim() } : {}) };
    });
  }
  if (options.message !== undefined) prompt.message = options.message;
  const { spec, changes } = await planAddItem(repo, 'prompts', prompt, flagLabel(FLAG_OF));
  if (!(await showOrWrite(repo, changes, options, output))) {
    output.out('Dry run: nothing was written.');
    return EXIT_OK;
  }
  const added = spec.prompts[spec.prompts.length - 1]!;
  const args = added.arguments.map((a) => (a.required ? a.name : `${a.name}?`)).join(', ') || 'no arguments';
  output.out(`\nAdded the prompt ${added.name} (${args}; scopes ${added.scopes.join(', ')}).`);
  const code = reportLeftToYou(changes, output);
  output.out(`Next: shape its messages in src/prompts/${toolFileName(added.name)}.ts, then npm test.`);
  return code;
}
