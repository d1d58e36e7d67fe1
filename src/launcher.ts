/**
 * What the generator loads from outside its own code: the precompiled template layers and the
 * packages the bundle does not hold (pg, PGlite). Run by the launchers in bin/, the bundle is a
 * script compiled from V8's code cache (bin/load-program.cjs), where import() cannot run on
 * Node 20 and a CommonJS file is best loaded with that cache too: the launcher does both.
 * Running from source (tests), Node's own import() and require() do.
 */
import { createRequire } from 'node:module';

interface Launcher {
  loadScript(file: string): unknown;
  importModule(specifier: string): Promise<unknown>;
}

const launcher = (globalThis as Record<symbol, Launcher | undefined>)[Symbol.for('create-mcp-server.launcher')];
const require = createRequire(import.meta.url);

/** A CommonJS file's exports. */
export function loadCommonJs(file: string): unknown {
  return launcher ? launcher.loadScript(file) : require(file);
}

/** A package's module namespace, as import() gives it. */
export function importPackage<T>(specifier: string): Promise<T> {
  return (launcher ? launcher.importModule(specifier) : import(specifier)) as Promise<T>;
}
