/**
 * The generator's own import graph: no cycles anywhere in src/, and every import between the
 * top-level folders points down the spine (docs/architecture.md, "The spine"). Imports are read
 * with the TypeScript compiler (static, type-only, dynamic and re-exports alike).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cycles, importGraph } from '../support/import-cycles.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Top to bottom: a folder may import from itself and from folders below it, never above. */
const LAYERS = ['cli', 'commands', 'upgrade', 'apply', 'lint', 'render', 'contract', 'import', 'spec', '.'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
    .sort();
}

/** src-relative path -> the src-relative paths it imports (nothing outside src/). */
function srcGraph(): Map<string, string[]> {
  const files = sourceFiles(SRC).map((file): [string, string] => [relative(SRC, file).split(sep).join('/'), readFileSync(file, 'utf8')]);
  const graph = importGraph(files);
  for (const [path, targets] of graph) graph.set(path, targets.filter((target) => !target.startsWith('..')));
  return graph;
}

const layerOf = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '.');

describe("the generator's layering", () => {
  const graph = srcGraph();

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
