/**
 * Import graphs and their cycles, for the generator's own source (generator-layering.test.ts) and
 * for every generated variant (generated-imports.test.ts). Imports are read with the TypeScript
 * compiler: static, type-only, dynamic and re-exports alike.
 */
import { posix } from 'node:path';
import ts from 'typescript';

/** The relative specifiers a TypeScript source imports, in any form. */
export function relativeImports(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles
    .map((ref) => ref.fileName)
    .filter((specifier) => specifier.startsWith('.'));
}

/** path -> the paths it imports, for files given by path (posix, `.ts`; imports written `.js`). */
export function importGraph(files: Iterable<[path: string, source: string]>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [path, source] of files) {
    const targets = relativeImports(source).map((specifier) => posix.normalize(posix.join(posix.dirname(path), specifier)).replace(/\.js$/, '.ts'));
    graph.set(path, [...new Set(targets)]);
  }
  return graph;
}

/** Every elementary cycle a depth-first search meets, each reported once, closed (`a b a`). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        found.set([...cycle].sort().join(' '), [...cycle, next]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found.values()];
}
