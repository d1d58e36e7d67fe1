#!/usr/bin/env node
// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code of the bundle on disk between runs; older ones
// (Node 20 has no enableCompileCache) compile it each time.
module.enableCompileCache?.();
const { runCreate } = await import('../dist/bundle/create-program.js');

process.exitCode = await runCreate(process.argv.slice(2));
