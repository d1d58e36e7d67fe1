/**
 * Moving TypeScript files breaks relative imports twice over: those inside a moved file (its
 * folder changed) and those of other files that import it (its path changed). This rewrites
 * every relative module specifier (static and dynamic imports, `export … from`, `require`,
 * `vi.mock`, `vi.doMock` and `vi.importActual`) so it names the same module after the move.
 */
import { posix } from 'node:path';

/** A quoted relative path: a candidate, kept only when what precedes it makes it a specifier. */
const RELATIVE_STRING = /(['"])(\.{1,2}\/[^'"\n]*)\1/g;
/** What comes right before a module specifier: `from`, `import`, `import(`, `require(`, `vi.mock(`… */
const SPECIFIER_LEAD = /(?:\bfrom|\bimport|\bimport\s*\(|\brequire\s*\(|\bvi\.(?:mock|doMock|importActual)\s*\()\s*$/;
/** `vi.importActual<typeof import('…')>(` — its argument follows a type argument. */
const TYPED_IMPORT_ACTUAL = /\bvi\.importActual\s*<[^;]*>\s*\(\s*$/;

/** A module's extension as written in a specifier (`.js` for a `.ts` source under NodeNext). */
const EXTENSION = /\.(?:[cm]?js|[cm]?ts)$/;

export interface ImportRewrite {
  /** The file's repo path before the move. */
  from: string;
  /** Its repo path after the move (the same when only its imports' targets moved). */
  to: string;
  /** Moved modules, repo paths without extension: `src/tools/crm-get` -> `src/tools/crm/get`. */
  moved: ReadonlyMap<string, string>;
}

/** The file's contents with each relative specifier naming the same module from its new place. */
export function rewriteRelativeImports(contents: string, { from, to, moved }: ImportRewrite): string {
  const fromDir = posix.dirname(from);
  const toDir = posix.dirname(to);
  return contents.replace(RELATIVE_STRING, (match, quote: string, specifier: string, offset: number) => {
    const before = contents.slice(Math.max(0, offset - 200), offset);
    if (!SPECIFIER_LEAD.test(before) && !TYPED_IMPORT_ACTUAL.test(before)) return match;
    let target = posix.join(fromDir, specifier);
    const extension = EXTENSION.exec(target)?.[0] ?? '';
    const destination = moved.get(target.slice(0, target.length - extension.length));
    if (destination !== undefined) target = destination + extension;
    if (destination === undefined && fromDir === toDir) return match;
    let rewritten = posix.relative(toDir, target);
    if (!rewritten.startsWith('.')) rewritten = `./${rewritten}`;
    // posix.join drops a trailing slash ('../x/' names a folder's index); keep it.
    if (specifier.endsWith('/') && !rewritten.endsWith('/')) rewritten += '/';
    return `${quote}${rewritten}${quote}`;
  });
}
