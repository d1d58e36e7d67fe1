#!/usr/bin/env node
// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
import { runMcpGen } from '../dist/bundle/mcp-gen-program.js';

process.exitCode = await runMcpGen(process.argv.slice(2));
