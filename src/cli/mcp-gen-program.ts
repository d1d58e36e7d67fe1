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
import { addToolCommand } from './mcp-gen/add-tool-command.js';
import { addBackendCommand } from './mcp-gen/add-backend-command.js';
import { addPromptCommand } from './mcp-gen/add-prompt-command.js';
import { addResourceCommand } from './mcp-gen/add-resource-command.js';
import { contractCommand } from './mcp-gen/contract-command.js';
import { doctorCommand } from './mcp-gen/doctor-command.js';
import { lintCommand } from './mcp-gen/lint-command.js';
import { upgradeCommand } from './mcp-gen/upgrade-command.js';
export async function runMcpGen(argv: readonly string[], output: Output = terminalOutput()): Promise<number> {
  let code = EXIT_OK;
  const setExit = (c: number) => (code = c);
  const cmd = new Command('mcp-gen')
    .description('Grow and maintain a repository made by create-mcp-server (run it inside that repository).')
    .version(GENERATOR_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) })
    .addCommand(addToolCommand(output, setExit))
    .addCommand(addResourceCommand(output, setExit))
    .addCommand(addPromptCommand(output, setExit))
    .addCommand(addBackendCommand(output, setExit))
    .addCommand(contractCommand(output, setExit))
    .addCommand(doctorCommand(output, setExit))
    .addCommand(lintCommand(output, setExit))
    .addCommand(upgradeCommand(output, setExit))
    .addHelpText('after', '\nExit codes: 0 done, 2 input refused (nothing written), 1 failure.')
    // Every command starts by putting back a write a killed mcp-gen left half done in its repo.
    .hook('preAction', async (_program, command) => {
      const dir = resolve(command.opts<{ dir?: string }>().dir ?? '.');
      const restored = await recoverInterruptedChanges(dir);
      if (restored > 0) output.err(`mcp-gen: rolled back an interrupted write in ${dir} (${restored} files restored)`);
    });
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
