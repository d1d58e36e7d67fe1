// Loads the programs (dist/bundle/*.cjs) and the precompiled template layers
// (dist/render/precompiled/*.cjs) with V8's code cache, kept on disk between runs.
//
// A command compiles ~1.5 MB of JavaScript, and most of a short command's time went to
// compiling it and to running each function for the first time in the interpreter. Node 22.1
// and later can keep compiled code for the modules they load (module.enableCompileCache);
// Node 20 cannot. So the launchers load the code themselves, as vm.Script with the cache V8
// makes once a run has used it (its lazily compiled functions included), and each later run
// starts from that: a 50-tool create went from ~330 to ~270 ms here.
//
// The cache follows Node's own conventions: NODE_COMPILE_CACHE names its directory,
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. By default it is a folder of this user's in the
// temporary directory, used only when no one else can write to it. Entries are named by the
// code's sha256 (V8 itself checks only the length of the source a cache was made from) and the
// Node version; V8 refuses an entry of another V8 or other flags, and a refused, corrupt or
// missing entry only means that run compiles as usual and writes it afresh. Entries written over
// 30 days ago are removed whenever a run writes new ones.
'use strict';
const { createHash } = require('node:crypto');
const { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');

const cacheDir = compileCacheDir();
/** Scripts whose cache entry was missing or refused: written as the process exits, when their code has run. */
const unsaved = [];
/** file -> 'used' (run from its cache), 'written' (compiled, its cache written at exit) or 'off' (no cache folder). */
const cacheUse = new Map();

/** The CommonJS module in `file`, run from its cached compiled code when there is some. */
function loadScript(file) {
  const source = readFileSync(file, 'utf8');
  const entry = cacheDir && join(cacheDir, `${createHash('sha256').update(process.version).update('\0').update(source).digest('hex')}.bin`);
  const cachedData = entry && readOptional(entry);
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const compiled = cachedData === undefined || script.cachedDataRejected;
  if (entry && compiled) {
    if (unsaved.length === 0) process.once('exit', saveCaches);
    unsaved.push({ entry, script });
  }
  cacheUse.set(file, !entry ? 'off' : compiled ? 'written' : 'used');
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** Entries written longer ago than this go when new ones are written: other versions' code does not pile up. */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

function saveCaches() {
  for (const { entry, script } of unsaved) {
    try {
      // Written whole, then renamed: a run reading it never sees half of one.
      const partial = `${entry}.${process.pid}.tmp`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, entry);
    } catch {
      // A full disk or a folder gone: the next run compiles again.
    }
  }
  try {
    for (const name of readdirSync(cacheDir)) {
      const file = join(cacheDir, name);
      if (Date.now() - statSync(file).mtimeMs > KEEP_MS) rmSync(file, { force: true });
    }
  } catch {
    // Another run pruning at the same time, or a folder gone: nothing to do.
  }
}

function compileCacheDir() {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  if (process.env.NODE_COMPILE_CACHE) return usable(process.env.NODE_COMPILE_CACHE, false);
  const uid = process.getuid?.();
  return usable(join(tmpdir(), `create-mcp-server-compile-cache${uid === undefined ? '' : `-${uid}`}`), true);
}

/**
 * `dir`, made if need be; with `private`, only when this user owns it and no one else may write
 * to it (a shared temporary directory: another user's cache would be code run as this one).
 */
function usable(dir, private_) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (private_ && process.getuid) {
      const info = lstatSync(dir);
      if (!info.isDirectory() || info.uid !== process.getuid()) return undefined;
      if ((info.mode & 0o022) !== 0) chmodSync(dir, 0o700);
    }
    return dir;
  } catch {
    return undefined;
  }
}

function readOptional(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

// What the bundled code reaches through this launcher (src/launcher.ts): the template layers,
// with the cache, and import() of the packages it does not hold. An import() inside a script
// compiled from a code cache fails on Node 20 (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so it
// runs here, in a module Node loaded.
globalThis[Symbol.for('create-mcp-server.launcher')] = { loadScript, importModule: (specifier) => import(specifier) };

/** Runs the program bundle `name` (create-program, mcp-gen-program): its exports. */
function loadProgram(name) {
  return loadScript(join(__dirname, '..', 'dist', 'bundle', `${name}.cjs`));
}

module.exports = { loadProgram, loadScript, cacheUse };
