/** Runs the CLIs in-process with captured output, as a user would call them. */
import type { Output } from '../../src/cli/output.js';
import { runCreate } from '../../src/cli/create-program.js';
import { runMcpGen } from '../../src/cli/mcp-gen-program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { output: Output; result: () => Omit<CliRun, 'code'> } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    output: {
      interactive: false,
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      step: async (title, run) => {
        out.push(`${title}...`);
        return run();
      },
    },
    result: () => ({ stdout: out.join('\n'), stderr: err.join('\n') }),
  };
}

export async function createCli(...argv: string[]): Promise<CliRun> {
  const { output, result } = capture();
  const code = await runCreate(argv, output);
  return { code, ...result() };
}

export async function mcpGenCli(...argv: string[]): Promise<CliRun> {
  const { output, result } = capture();
  const code = await runMcpGen(argv, output);
  return { code, ...result() };
}
