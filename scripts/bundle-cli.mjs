// Bundles the two programs (dist/cli/create-program.js, dist/cli/mcp-gen-program.js, as tsc
// built them) into one CommonJS file each, dist/bundle/<program>.cjs, which the launchers in bin/
// run with V8's code cache (bin/load-program.cjs). Node loads an ES module per file: a command
// loaded ~160 of them (95 of zod alone), and resolving, reading and linking them was a fifth of
// its time. One script per program is what a code cache can hold whole; what a command does not
// use (another subcommand, the prompts, the importers) is parsed lazily and never compiled.
//
// `new URL('<relative>', import.meta.url)` (the templates folder, package.json, the
// precompiled templates) is rewritten to the same file as seen from dist/bundle/. Packages
// that read files beside their own code (PGlite's wasm, swagger-parser's validators, pg's
// optional native binding) stay in node_modules; the bundle imports them through the launcher
// (src/launcher.ts), never with an import() of its own, which the build checks.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = resolve(root, 'dist/bundle');

const relativeUrls = {
  name: 'relative-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const contents = text.replace(/new URL\((['"])([^'"]+)\1, import\.meta\.url\)/g, (_, quote, path) => {
        let moved = relative(outdir, resolve(dirname(args.path), path)).split('\\').join('/');
        if (path.endsWith('/')) moved += '/';
        if (!moved.startsWith('.')) moved = `./${moved}`;
        return `new URL(${quote}${moved}${quote}, import.meta.url)`;
      });
      return { contents, loader: 'js' };
    });
  },
};

// zod's \`locales\` namespace holds its messages in every language it speaks: 370 kB of the
// 785 kB zod chunk that each command parses at start. The generator never switches locale
// (English is zod's default, registered by the schemas themselves), so the bundle keeps English.
const englishZodOnly = {
  name: 'english-zod-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
    }));
  },
};

// commander requires child_process (and with it net, dgram and their streams: ~2 ms of each start)
// for subcommands that are executables of their own, which these programs do not have; it is
// required when commander spawns one.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) throw new Error(`${args.path}: no longer requires child_process as this plugin expects`);
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};

// What an earlier build left (chunks of a split bundle, files since renamed) must not linger.
await rm(outdir, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: {
    'create-program': resolve(root, 'dist/cli/create-program.js'),
    'mcp-gen-program': resolve(root, 'dist/cli/mcp-gen-program.js'),
  },
  outdir,
  bundle: true,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  platform: 'node',
  target: 'node20',
  // Loaded at run time by path (see above), or reading files beside their own code.
  external: ['@electric-sql/pglite', 'pg', '@apidevtools/swagger-parser'],
  // The ES modules' import.meta.url, from the script's own file name.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  metafile: true,
  plugins: [relativeUrls, englishZodOnly, lazyChildProcess],
  logLevel: 'warning',
  legalComments: 'none',
  // V8 scans every byte of a module it loads: without comments and blank space the bundle is a
  // quarter smaller. Names stay as they are (stack traces, and code reading a function's name).
  minifyWhitespace: true,
  minifySyntax: true,
});
// An import() left in the bundle would fail when it runs from the code cache (see above).
const leftImports = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
if (leftImports.length > 0) throw new Error(`the bundle import()s ${leftImports.join(', ')}: load it through src/launcher.ts`);
console.log('bundled the CLI into dist/bundle/');
