/**
 * 0.3.0: a dotted tool name is a namespace, and its files live in a folder per namespace
 * (`crm.get_customer`: src/tools/crm/get_customer.ts), where 0.2.0 and earlier wrote
 * src/tools/crm-get_customer.ts. A tool's file and its test are the user's (scaffold), so a
 * re-render cannot move them: it would write fresh copies beside the user's code. This moves
 * each one with its manifest entry and rewrites its relative imports for the deeper folder.
 * A tool whose new file already exists is left alone, so running it again changes nothing.
 *
 * Both naming rules are written out here rather than imported: the migration must keep doing
 * exactly what it did for 0.3.0, whatever later releases make of tool file names.
 */
import type { Migration } from './migration.js';
import { rewriteRelativeImports } from './relative-imports.js';
import { userSourceFiles } from './user-source-files.js';

/** The rule of 0.2.0 and earlier: `crm.search` -> `crm-search`. */
const flatFileName = (name: string) => name.replace(/\./g, '-');

/** The rule from 0.3.0: `crm.search` -> `crm/search`. */
function namespacedFileName(name: string): string {
  const segments = name.split('.').filter(Boolean);
  return segments.length > 0 ? segments.join('/') : flatFileName(name);
}

export const toolNamespaceFolders: Migration = {
  id: '0.3.0-tool-namespace-folders',
  version: '0.3.0',
  stage: 'before',
  description: 'move the files of dotted tool names into a folder per namespace',
  async run({ spec, repo }) {
    // Repo paths without extension, before -> after, of every file moved.
    const moved = new Map<string, string>();
    const tools = Array.isArray(spec.tools) ? (spec.tools as Array<{ name?: unknown }>) : [];
    for (const { name } of tools) {
      if (typeof name !== 'string') continue; // the spec check after the migrations reports it
      const before = flatFileName(name);
      const after = namespacedFileName(name);
      if (before === after) continue;
      for (const [from, to] of [
        [`src/tools/${before}`, `src/tools/${after}`],
        [`test/tools/${before}.test`, `test/tools/${after}.test`],
      ] as const) {
        if ((await repo.readDisk(`${to}.ts`)) !== undefined) continue; // already moved
        if ((await repo.readDisk(`${from}.ts`)) === undefined && !repo.manifest[`${from}.ts`]) continue;
        // Moves the manifest entry too: a file the user deleted stays deleted at its new path.
        await repo.rename(`${from}.ts`, `${to}.ts`);
        moved.set(from, to);
      }
    }
    if (moved.size === 0) return;

    // The moved files' own imports, then every other file of the user's that imports one of them.
    for (const [from, to] of moved) {
      const contents = await repo.readDisk(`${to}.ts`);
      if (contents !== undefined) repo.write(`${to}.ts`, rewriteRelativeImports(contents, { from: `${from}.ts`, to: `${to}.ts`, moved }));
    }
    const movedPaths = new Set([...moved.values()].map((to) => `${to}.ts`));
    for (const path of await userSourceFiles(repo)) {
      if (movedPaths.has(path)) continue;
      const contents = await repo.readDisk(path);
      if (contents === undefined) continue;
      const rewritten = rewriteRelativeImports(contents, { from: path, to: path, moved });
      if (rewritten !== contents) repo.write(path, rewritten);
    }
  },
};
