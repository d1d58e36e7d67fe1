/**
 * The benchmark servers (bench-server.ts and the modules beside it) as plain JavaScript, so
 * `npm run bench` runs them under `node` as `npm start` runs the server. Started through
 * `--import tsx` they would also carry tsx's loader (a module hooks thread with its own V8
 * isolate, every import resolved through it): tens of MB of RSS and start-up work that no
 * production server has, in every figure the bench reports.
 *
 * Type stripping is all they need (each file imports packages, its siblings, and the build as
 * `../../dist/...`), so each file is transpiled on its own with TypeScript's `transpileModule`
 * into `.bench-js/bench/` (ignored by git): two levels below the repo, as scripts/bench/ is, so
 * `../../dist/` is the repo's own dist/ and the server runs the very modules `npm start` runs,
 * with the node flags `npm start` gives it (startNodeFlags).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import ts from 'typescript';

/** Where the JavaScript goes, under the repo. */
export const BENCH_JS_DIR = '.bench-js';

/**
 * The flags `npm start` (package.json `scripts.start`: `node <flags> dist/main.js`) passes to
 * node, such as its V8 heap settings: a benchmark server runs with them, as production does.
 */
export function startNodeFlags(repoDir: string = process.cwd()): string[] {
  const pkg = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const [command, ...rest] = (pkg.scripts?.['start'] ?? '').trim().split(/\s+/);
  if (command !== 'node') return [];
  const flags: string[] = [];
  for (const word of rest) {
    if (!word.startsWith('-')) break;
    flags.push(word);
  }
  return flags;
}

/** Writes `files` (TypeScript) as JavaScript into `outDir`, the same names with `.js`. */
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
 * Every module of `<repoDir>/scripts/bench/` as JavaScript in `<repoDir>/.bench-js/bench/`,
 * written afresh (a module added beside bench-server.ts needs no list). Returns the path of
 * bench-server.js, to run as `node <path> full|bare`; it needs the build (`npm run build`).
 */
export function writeBenchServers(repoDir: string = process.cwd()): string {
  const source = join(repoDir, 'scripts', 'bench');
  const out = join(repoDir, BENCH_JS_DIR, 'bench');
  rmSync(join(repoDir, BENCH_JS_DIR), { recursive: true, force: true });
  const files = readdirSync(source).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  transpileTo(files.map((file) => join(source, file)), out);
  return join(out, 'bench-server.js');
}
