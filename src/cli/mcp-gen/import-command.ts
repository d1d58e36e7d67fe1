/**
 * `mcp-gen import <source>`: tools made from a description of a real system. Each source is a
 * subcommand in a module of its own (`import-<source>-command.ts`), listed in IMPORT_SOURCES.
 */
import { Command } from 'commander';
import type { Output } from '../output.js';
import { importOpenApiCommand } from './import-openapi-command.js';
import { importPostgresCommand } from './import-postgres-command.js';

type SourceCommand = (output: Output, setExit: (code: number) => void) => Command;

/** One entry per source, in the order help lists them. */
const IMPORT_SOURCES: readonly SourceCommand[] = [importOpenApiCommand, importPostgresCommand];

export function importCommand(output: Output, setExit: (code: number) => void): Command {
  const cmd = new Command('import').description('Make tools from a description of a real system (an OpenAPI document, a PostgreSQL schema)');
  for (const source of IMPORT_SOURCES) {
    cmd.addCommand(
      source(output, setExit)
        .exitOverride()
        .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) }),
    );
  }
  return cmd;
}
