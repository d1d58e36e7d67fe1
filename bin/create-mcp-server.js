#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry sooner than an ES module one.
'use strict';
// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
// Node 22.1 and later keep compiled code of the packages loaded outside the bundle (an import's
// parser, PGlite); the program itself is loaded with a code cache of its own, on every version.
require('node:module').enableCompileCache?.();
const { runCreate } = require('./load-program.cjs').loadProgram('create-program');

runCreate(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
