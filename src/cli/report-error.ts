/**
 * Every error either program ends on, to what the user reads and the exit code: the one
 * mapping both create-mcp-server and mcp-gen use.
 */
import { CommanderError } from 'commander';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, UserError } from '../user-error.js';
import type { Output } from './output.js';

export function reportError(err: unknown, output: Output): number {
  // Commander has printed its own message (or the help / version asked for).
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
  if (err instanceof UserError) {
    for (const line of err.lines()) output.err(line);
    return err.exitCode;
  }
  output.err(`error: ${(err as Error).message}`);
  return EXIT_FAILURE;
}
