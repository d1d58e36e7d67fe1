/**
 * `mcp-gen`: the commands run inside a generated repo. Each subcommand lives in
 * cli/mcp-gen/; this file wires them up and turns errors into exit codes.
 */
import { Command, CommanderError } from 'commander';
import { GENERATOR_VERSION } from '../version.js';
import { SpecError } from '../spec/issues.js';
import { NotAGeneratedRepo } from '../upgrade/repo-state.js';
import { WriteInterrupted } from '../apply/signal-guard.js';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from './exit-codes.js';
import { terminalOutput, type Output } from './output.js';
import { addToolCommand } from './mcp-gen/add-tool-command.js';
import { addBackendCommand } from './mcp-gen/add-backend-command.js';
import { contractCommand } from './mcp-gen/contract-command.js';
import { doctorCommand } from './mcp-gen/doctor-command.js';
import { lintCommand } from './mcp-gen/lint-command.js';
import { DirtyTree, upgradeCommand } from './mcp-gen/upgrade-command.js';
import { MigrationFailed, UpgradeRefused } from '../commands/upgrade.js';
import { GeneratorMismatch } from '../commands/same-generator.js';

export async function runMcpGen(argv: readonly string[], output: Output = terminalOutput()): Promise<number> {
  let code = EXIT_OK;
  const setExit = (c: number) => (code = c);
  const cmd = new Command('mcp-gen')
    .description('Grow and maintain a repository made by create-mcp-server (run it inside that repository).')
    .version(GENERATOR_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) })
    .addCommand(addToolCommand(output, setExit))
    .addCommand(addBackendCommand(output, setExit))
    .addCommand(contractCommand(output, setExit))
    .addCommand(doctorCommand(output, setExit))
    .addCommand(lintCommand(output, setExit))
    .addCommand(upgradeCommand(output, setExit))
    .addHelpText('after', '\nExit codes: 0 done, 2 input refused (nothing written), 1 failure.');
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
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    if (err instanceof SpecError) {
      for (const line of err.problems) output.err(`error: ${line}`);
      output.err('Nothing was written.');
      return EXIT_BAD_INPUT;
    }
    if (err instanceof DirtyTree || err instanceof UpgradeRefused || err instanceof GeneratorMismatch) {
      output.err(`error: ${err.message}`);
      return EXIT_FAILURE;
    }
    if (err instanceof NotAGeneratedRepo) {
      output.err(`error: ${err.message}`);
      return EXIT_BAD_INPUT;
    }
    if (err instanceof MigrationFailed) {
      output.err(`error: ${err.message}`);
      return EXIT_FAILURE;
    }
    if (err instanceof WriteInterrupted) {
      output.err(err.message);
      return err.signal === 'SIGINT' ? 130 : 143;
    }
    output.err(`error: ${(err as Error).message}`);
    return EXIT_FAILURE;
  }
}
