/**
 * Preloaded into a benchmark server (`node --import bench/heap-sampler.mjs`): V8's sampling heap
 * profiler, counting every allocation, including objects the garbage collector has already freed
 * (`node --heap-prof` keeps only the survivors, which says nothing of the churn that drives GC).
 * SIGUSR2 starts sampling; the next SIGUSR2 stops it and writes the profile to HEAP_SAMPLE_FILE.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
const post = (method, params = {}) =>
  new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

let sampling = false;
process.on('SIGUSR2', () => {
  const step = sampling
    ? post('HeapProfiler.stopSampling').then(({ profile }) => {
        // Whole or not at all: the harness waits for the file to appear.
        writeFileSync(`${process.env.HEAP_SAMPLE_FILE}.part`, JSON.stringify(profile));
        renameSync(`${process.env.HEAP_SAMPLE_FILE}.part`, process.env.HEAP_SAMPLE_FILE);
        process.stderr.write('heap-sampler: profile written\n');
      })
    : post('HeapProfiler.enable').then(() =>
        post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }),
      );
  sampling = !sampling;
  step.catch((error) => process.stderr.write(`heap-sampler: ${error}\n`));
});
