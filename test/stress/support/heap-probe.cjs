/**
 * Preloaded into a server under load (`node --expose-gc --require heap-probe.cjs dist/main.js`):
 * on SIGUSR2 it runs a full garbage collection and prints the live heap as one line on stderr,
 * `heap-probe <bytes>`. What a leak raises is the live heap after a full collection; RSS and the
 * heap's total size follow V8's sizing heuristics, which grow and shrink them under load.
 */
'use strict';
process.on('SIGUSR2', () => {
  global.gc();
  process.stderr.write(`heap-probe ${process.memoryUsage().heapUsed}\n`);
});
