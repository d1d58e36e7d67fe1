/**
 * The benchmark servers run as plain JavaScript under `node`, as `npm start` runs a generated
 * server: started through `--import tsx` they would also carry tsx's loader (a module hooks
 * thread with its own V8 isolate, and every import resolved through it), about 45 MB of RSS and
 * some start-up time that no production server has. Type stripping is all they need (every
 * import is to a package or a sibling file), so each file is transpiled on its own.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import ts from 'typescript';

/** Writes `files` (TypeScript) as JavaScript into `outDir`, same names with `.js`. */
export function transpileTo(files: string[], outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    writeFileSync(join(outDir, basename(file).replace(/\.ts$/, '.js')), outputText);
  }
}

/**
 * A generated repo's scripts/bench servers as JavaScript in `<dir>/.bench-js/scripts/bench/`.
 * They import the build as `../../dist/…`, so `.bench-js/dist` links to the repo's dist/: the
 * server runs the very modules `npm start` runs. Returns the path of bench-server.js.
 */
export function generatedBenchServerJs(dir: string): string {
  const out = join(dir, '.bench-js', 'scripts', 'bench');
  transpileTo(['bench-server.ts', 'bench-tool.ts'].map((file) => join(dir, 'scripts', 'bench', file)), out);
  const dist = join(dir, '.bench-js', 'dist');
  if (!existsSync(dist)) symlinkSync('../dist', dist);
  return join(out, 'bench-server.js');
}
