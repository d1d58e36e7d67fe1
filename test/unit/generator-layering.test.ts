/**
 * The generator's own import graph: no cycles anywhere in src/, and every import between the
 * top-level folders points down the spine (docs/architecture.md, "The spine"). Imports are read
 * with the TypeScript compiler (static, type-only, dynamic and re-exports alike).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Top to bottom: a folder may import from itself and from folders below it, never above. */
const LAYERS = ['cli', 'commands', 'upgrade', 'apply', 'lint', 'render', 'contract', 'spec', '.'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
    .sort();
}

/** src-relative path -> the src-relative paths it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const imports = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles
      .map((ref) => ref.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(SRC, resolve(dirname(file), specifier)).split(sep).join('/').replace(/\.js$/, '.ts'))
      .filter((target) => !target.startsWith('..'));
    graph.set(relative(SRC, file).split(sep).join('/'), [...new Set(imports)]);
  }
  return graph;
}

const layerOf = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '.');

/** Every elementary cycle found by a depth-first search, each reported once. */
function cycles(graph: Map<string, string[]>): string[][] {
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
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return [...found.values()];
}

describe("the generator's layering", () => {
  const graph = importGraph();

  it('reads the whole of src/', () => {
    expect(graph.size).toBeGreaterThan(40);
    for (const path of graph.keys()) expect(LAYERS, `${path}: a new top-level folder needs its place in LAYERS`).toContain(layerOf(path));
  });

  it('has no import cycle', () => {
    expect(cycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('imports only down the spine, never up', () => {
    const upward: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        const [a, b] = [LAYERS.indexOf(layerOf(from) as never), LAYERS.indexOf(layerOf(to) as never)];
        if (b < a) upward.push(`${from} -> ${to}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
