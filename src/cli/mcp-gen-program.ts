/**
 * `mcp-gen`: the commands run inside a generated repo. Each subcommand lives in
 * cli/mcp-gen/; this file wires them up and turns errors into exit codes.
 */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { GENERATOR_VERSION } from '../version.js';
import { recoverInterruptedChanges } from '../apply/apply-changes.js';
import { EXIT_OK } from '../user-error.js';
import { reportError } from './report-error.js';
import { terminalOutput, type Output } from './output.js';

type CommandFactory = (output: Output, setExit: (code: number) => void) => Command;

/**
 * Each subcommand's module, in the order help lists them. A run loads only the one it names:
 * each pulls in what its command needs (zod, Handlebars and the templates, the merge and diff
 * libraries...), and loading all of them was a third of a command's time.
 */
const SUBCOMMANDS: Record<string, () => Promise<CommandFactory>> = {
  'add-tool': async () => (await import('./mcp-gen/add-tool-command.js')).addToolCommand,
  'add-resource': async () => (await import('./mcp-gen/add-resource-command.js')).addResourceCommand,
  'add-prompt': async () => (await import('./mcp-gen/add-prompt-command.js')).addPromptCommand,
  'add-backend': async () => (await import('./mcp-gen/add-backend-command.js')).addBackendCommand,
  import: async () => (await import('./mcp-gen/import-command.js')).importCommand,
  contract: async () => (await import('./mcp-gen/contract-command.js')).contractCommand,
  doctor: async () => (await import('./mcp-gen/doctor-command.js')).doctorCommand,
  lint: async () => (await import('./mcp-gen/lint-command.js')).lintCommand,
  upgrade: async () => (await import('./mcp-gen/upgrade-command.js')).upgradeCommand,
};

/** The subcommands a run needs: the one it names, else all (help, an unknown command and its suggestions). */
async function subcommandFactories(argv: readonly string[]): Promise<CommandFactory[]> {
  const named = argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0]) ? [SUBCOMMANDS[argv[0]]!] : Object.values(SUBCOMMANDS);
  return Promise.all(named.map((load) => load()));
}

export async function runMcpGen(argv: readonly string[], output: Output = terminalOutput()): Promise<number> {
  let code = EXIT_OK;
  const setExit = (c: number) => (code = c);
  const factories = await subcommandFactories(argv);
  const cmd = new Command('mcp-gen')
    .description('Grow and maintain a repository made by create-mcp-server (run it inside that repository).')
    .version(GENERATOR_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) })
    .addHelpText('after', '\nExit codes: 0 done, 2 input refused (nothing written) or conflicts left to resolve (the rest written), 1 failure.')
    // Every command starts by putting back a write a killed mcp-gen left half done in its repo.
    .hook('preAction', async (_program, command) => {
      const dir = resolve(command.opts<{ dir?: string }>().dir ?? '.');
      const restored = await recoverInterruptedChanges(dir);
      if (restored > 0) output.err(`mcp-gen: rolled back an interrupted write in ${dir} (${restored} files restored)`);
    });
  for (const factory of factories) cmd.addCommand(factory(output, setExit));
  for (const sub of cmd.commands) {
    sub.exitOverride().configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) });
  }
  if (argv.length === 0) {
    output.out(cmd.helpInformation().trimEnd());
    return EXIT_OK;
  }
  try {
    await cmd.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    return reportError(err, output);
  }
}
