/**
 * The imports of every generated variant, checked in memory (the end-to-end tests install only a
 * few variants): every import a file names is used (a generated repo's `npm run typecheck` fails
 * on an unused one: noUnusedLocals), and no module imports itself back through others (a cycle
 * makes load order matter and hides which module is the leaf; docs/architecture.md).
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { renderProject } from '../../src/render/render-project.js';
import { parseSpec } from '../../src/spec/parse.js';
import { AUTH_KINDS, BACKEND_KINDS, TRANSPORTS } from '../../src/spec/project-spec.js';
import { cycles, importGraph } from '../support/import-cycles.js';
import { catalogTools } from '../../src/import/openapi/catalog-tools.js';

/** A governed catalog of two operations (the read one with a typed answer), served by every variant with the http backend. */
const CATALOG = {
  operations: [
    { name: 'list_things', access: 'read', backend: 'http', http: { method: 'GET', path: '/things', output: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } } },
    { name: 'create_thing', access: 'write', backend: 'http', params: [{ name: 'label', type: 'string' }], http: { method: 'POST', path: '/things', params: { label: { in: 'body', name: 'label' } } } },
  ],
};

/** Every non-empty subset of the backends, the first of each as the default. */
function backendSets(): (typeof BACKEND_KINDS)[number][][] {
  const sets: (typeof BACKEND_KINDS)[number][][] = [];
  for (let mask = 1; mask < 1 << BACKEND_KINDS.length; mask++) {
    sets.push(BACKEND_KINDS.filter((_, i) => mask & (1 << i)));
  }
  return sets;
}

/** Local names a file imports that nothing else in the file references. */
export function unusedImports(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imported = new Map<string, ts.Identifier>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
    const clause = statement.importClause;
    if (clause.name) imported.set(clause.name.text, clause.name);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) imported.set(bindings.name.text, bindings.name);
    if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) imported.set(el.name.text, el.name);
  }
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node)) used.add(node.text);
    node.forEachChild(visit);
  };
  file.forEachChild(visit);
  return [...imported.keys()].filter((name) => !used.has(name));
}

describe('generated imports', () => {
  it('finds an unused import and ignores used ones, type positions included', () => {
    const source = [
      "import { a, b, type C } from './x.js';",
      "import * as ns from './y.js';",
      "import d from './z.js';",
      'export const v: C = a(ns.k);',
    ].join('\n');
    expect(unusedImports('f.ts', source)).toEqual(['b', 'd']);
  });

  it('finds a cycle through type-only and re-exports too', () => {
    const graph = importGraph([
      ['src/a.ts', "import type { B } from './b/b.js';"],
      ['src/b/b.ts', "export { c } from '../c.js';"],
      ['src/c.ts', "export const c = async () => import('./a.js');"],
      ['src/d.ts', "import { c } from './c.js';"],
    ]);
    expect(cycles(graph)).toEqual([['src/a.ts', 'src/b/b.ts', 'src/c.ts', 'src/a.ts']]);
  });

  it('leaves no import unused and no import cycle in any transport × auth × backends variant', async () => {
    const offenders: string[] = [];
    const cyclic = new Set<string>();
    let files = 0;
    let variant = 0;
    for (const transport of TRANSPORTS) {
      for (const auth of AUTH_KINDS) {
        for (const kinds of backendSets()) {
          const spec = parseSpec({
            name: 'variant',
            transport,
            auth,
            backends: kinds.map((kind) => ({ kind })),
            tools: [
              ...kinds.flatMap((kind) => [
                { name: `${kind}_read`, access: 'read', backend: kind },
                { name: `${kind}_write`, access: 'write', backend: kind },
              ]),
              ...(kinds.includes('http') ? catalogTools('Things', 2) : []),
            ],
            ...(kinds.includes('http') ? { catalog: CATALOG } : {}),
            // Every other variant also serves resources (one and a family per backend) and prompts,
            // so both a repo with them and one without are checked.
            ...(++variant % 2 === 0
              ? {
                  resources: kinds.flatMap((kind) => [
                    { name: `${kind}_all`, uri: `${kind}://records`, backend: kind },
                    { name: `${kind}_one`, uriTemplate: `${kind}://records/{id}`, backend: kind },
                  ]),
                  prompts: [{ name: 'brief', arguments: [{ name: 'topic' }] }, { name: 'digest' }],
                }
              : {}),
          });
          const tree = await renderProject(spec);
          const sources: [string, string][] = [];
          for (const path of tree.paths()) {
            if (!path.endsWith('.ts')) continue;
            files++;
            const source = tree.get(path)!.contents;
            sources.push([path, source]);
            const unused = unusedImports(path, source);
            if (unused.length > 0) offenders.push(`${transport}/${auth}/${kinds.join('+')}: ${path} imports ${unused.join(', ')} unused`);
          }
          for (const cycle of cycles(importGraph(sources))) cyclic.add(cycle.join(' -> '));
        }
      }
    }
    expect(files).toBeGreaterThan(1000);
    expect(offenders).toEqual([]);
    expect([...cyclic].sort()).toEqual([]);
  }, 600_000);
});
