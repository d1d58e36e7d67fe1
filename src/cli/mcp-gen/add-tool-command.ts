/** `mcp-gen add-tool <name>`: flags / prompts -> a tool spec -> changes -> written. */
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { ACCESS_KINDS, APPROVAL_MODES, BACKEND_KINDS, toolFileName } from '../../spec/project-spec.js';
import { parseParamFlag, parseParamList } from '../../spec/param-syntax.js';
import { SpecError } from '../../spec/issues.js';
import { lintAdvice, lintSpec, toolFilePath } from '../../lint/lint-repo.js';
import { readRepoState } from '../../upgrade/repo-state.js';
import { planAddTool } from '../../commands/add-tool.js';
import { Cancelled, EXIT_OK } from '../../user-error.js';
import type { Output } from '../output.js';
import { commonFields, flagLabel, type ItemOptions } from './add-item-options.js';
import { reportLeftToYou, showOrWrite } from './repo-changes.js';

interface AddToolOptions extends ItemOptions {
  access?: string;
  backend?: string;
  param?: string[];
  cacheTtl?: string;
  maxResponseTokens?: string;
  approval?: string;
  yes?: boolean;
}

const FLAG_OF: Record<string, string> = {
  name: '<name>',
  access: '--access',
  title: '--title',
  description: '--description',
  backend: '--backend',
  scopes: '--scopes',
  params: '--param',
  rateLimit: '--rate-limit',
  cache: '--cache-ttl',
  maxResponseTokens: '--max-response-tokens',
  approval: '--approval',
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addToolCommand(output: Output, setExit: (code: number) => void): Command {
  return new Command('add-tool')
    .description('Add a tool: its file and test (yours to edit), the registry, README and RUNBOOK entries, the contract lock')
    .argument('<name>', 'tool name, verb first: 1-64 characters of A-Z a-z 0-9 _ . -')
    .addOption(new Option('-a, --access <kind>', 'read (changes nothing) or write (changes data)').choices(ACCESS_KINDS))
    .option('--title <text>', 'human-readable title (default: from the name)')
    .option('--description <text>', 'what the tool does, for the model (one paragraph)')
    .option('--backend <kind>', `the backend its handler uses: ${BACKEND_KINDS.join(' | ')} (default: the repo's first)`)
    .option('--scopes <list>', 'comma list of scopes a caller needs (default: tools:<access>)')
    .option('--param <spec>', 'a parameter, repeatable: name:type, name:type? (optional) or name:type:required, then =description (none: the tool takes no arguments)', collect)
    .option('--rate-limit <perMinute>', 'this tool\'s own limit per tenant per minute')
    .option('--cache-ttl <seconds>', 'read tools: keep each answer this long per tenant and arguments')
    .option('--max-response-tokens <tokens>', 'this tool\'s response budget (default: the server\'s MAX_RESPONSE_TOKENS)')
    .option('--approval <mode>', `write tools: ${APPROVAL_MODES.join(' | ')} (client: the user confirms; human: an approver grants each call)`)
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--dry-run', 'print what would change, and write nothing')
    .option('--diff', 'with --dry-run, print unified diffs too')
    .option('-y, --yes', 'never prompt; defaults for what is not given')
    .action(async (name: string, options: AddToolOptions) => {
      setExit(await addTool(name, options, output));
    });
}

async function addTool(name: string, options: AddToolOptions, output: Output): Promise<number> {
  const dir = resolve(options.dir);
  const repo = await readRepoState(dir);
  const tool = await toolFromOptions(name, options, output);
  const { spec, changes: plan } = await planAddTool(repo, tool, flagLabel(FLAG_OF));
  const added = spec.tools[spec.tools.length - 1]!;
  // The new tool's file is rendered from the spec; the others are read as the user left them.
  const advice = lintAdvice(
    await lintSpec(spec, async (path) => (path === toolFilePath(added.name) ? undefined : repo.readDisk(path))),
    [added.name],
  );

  if (!(await showOrWrite(repo, plan, options, output))) {
    for (const line of advice) output.err(line);
    output.out('Dry run: nothing was written.');
    return EXIT_OK;
  }
  const approval = added.approval === 'none' ? '' : `, approval ${added.approval}`;
  output.out(`\nAdded ${added.name} (${added.access}, scopes ${added.scopes.join(', ')}${approval}).`);
  const code = reportLeftToYou(plan, output);
  output.out(`Next: write its handler in src/tools/${toolFileName(added.name)}.ts, then npm test.`);
  if (advice.length > 0) output.err(advice.join('\n'));
  return code;
}

async function toolFromOptions(name: string, options: AddToolOptions, output: Output): Promise<Record<string, unknown>> {
  const tool = commonFields(name, options, 'calls');
  if (options.backend !== undefined) tool.backend = options.backend;
  if (options.cacheTtl !== undefined) {
    if (!/^\d+$/.test(options.cacheTtl)) {
      throw new SpecError([`--cache-ttl: "${options.cacheTtl}" is not allowed; expected a whole number of seconds`]);
    }
    tool.cache = { ttlSeconds: Number(options.cacheTtl) };
  }
  if (options.maxResponseTokens !== undefined) {
    if (!/^\d+$/.test(options.maxResponseTokens)) {
      throw new SpecError([`--max-response-tokens: "${options.maxResponseTokens}" is not allowed; expected a whole number of tokens`]);
    }
    tool.maxResponseTokens = Number(options.maxResponseTokens);
  }
  if (options.param) {
    const problems: string[] = [];
    tool.params = options.param.map((value) => {
      const { param, problem } = parseParamFlag(value);
      if (problem) problems.push(`--param: ${problem}`);
      return param;
    });
    if (problems.length > 0) throw new SpecError(problems);
  }
  if (options.access !== undefined) tool.access = options.access;
  if (options.approval !== undefined) tool.approval = options.approval;
  if (output.interactive && !options.yes) await askMissing(tool);
  return tool;
}

async function askMissing(tool: Record<string, unknown>): Promise<void> {
  const p = await import('@clack/prompts');
  const answer = <T>(value: T): Exclude<T, symbol> => {
    if (p.isCancel(value)) throw new Cancelled();
    return value as Exclude<T, symbol>;
  };
  if (tool.access === undefined) {
    tool.access = answer(await p.select({ message: 'Does it read or change data?', options: ACCESS_KINDS.map((a) => ({ value: a, label: a })) }));
  }
  if (tool.access === 'write' && tool.approval === undefined) {
    tool.approval = answer(
      await p.select({ message: 'Does a call need approval before it runs?', options: APPROVAL_MODES.map((a) => ({ value: a, label: a })) }),
    );
  }
  if (tool.description === undefined) {
    const text = answer(await p.text({ message: 'Describe it for the model (one paragraph)', placeholder: 'leave empty for a default' }));
    if (text.trim()) tool.description = text.trim();
  }
  if (tool.params === undefined) {
    const text = answer(
      await p.text({
        message: 'Parameters (name:type, ? for optional; empty for none)',
        placeholder: 'query:string?, limit:integer?',
        validate: (v) => parseParamList(v ?? '').problems[0],
      }),
    );
    if (text.trim()) tool.params = parseParamList(text).params;
  }
}
