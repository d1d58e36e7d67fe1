#!/usr/bin/env node
// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
import module from 'node:module';

// Node 22.1 and later keep compiled code of the packages loaded outside the bundle (an import's
// parser, PGlite); the program itself is loaded with a code cache of its own, on every version.
module.enableCompileCache?.();
const { runMcpGen } = module.createRequire(import.meta.url)('./load-program.cjs').loadProgram('mcp-gen-program');

process.exitCode = await runMcpGen(process.argv.slice(2));
