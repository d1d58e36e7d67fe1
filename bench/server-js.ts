/**
 * The benchmark servers run as plain JavaScript under `node`, as `npm start` runs a generated
 * server: started through `--import tsx` they would also carry tsx's loader (a module hooks
 * thread with its own V8 isolate, and every import resolved through it), about 45 MB of RSS and
 * some start-up time that no production server has.
 *
 * The generated repo's `npm run bench` does the same with its own module,
 * scripts/bench/bench-js.ts: this bench loads that module from the generated repo (it runs under
 * tsx, so it imports the .ts as it is) and uses it for every server, so there is one way to turn
 * a benchmark server into JavaScript, and both benchmarks run the generated servers alike.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The generated repo's scripts/bench/bench-js.ts (templates/transport/http/scripts/bench/bench-js.ts here). */
export type BenchJs = typeof import('../templates/transport/http/scripts/bench/bench-js.js');

/** Loads `<dir>/scripts/bench/bench-js.ts`, the generated repo's own module. */
export async function generatedBenchJs(dir: string): Promise<BenchJs> {
  const file = join(dir, 'scripts', 'bench', 'bench-js.ts');
  if (!existsSync(file)) throw new Error(`${dir} has no scripts/bench/bench-js.ts: generate the repo again from this checkout`);
  return (await import(pathToFileURL(file).href)) as BenchJs;
}
