#!/usr/bin/env node
// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
import { runCreate } from '../dist/bundle/create-program.js';

process.exitCode = await runCreate(process.argv.slice(2));
