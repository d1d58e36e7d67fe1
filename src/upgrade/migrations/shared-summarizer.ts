/**
 * 0.4.0: the summarizer that cut long API answers down for the model moved from the http backend
 * (src/backends/http/summarize.ts) to the pipeline (src/pipeline/summarize.ts), where the
 * response budget of every tool uses it too. The file is template-owned (merged), so this moves
 * it with its merge base, and the re-render then merges the template's new version into it with
 * the user's edits; files of the user's that import it are pointed at the new path.
 * A repo without the http backend has no such file, and a second run finds it moved: both do
 * nothing.
 */
import type { Migration } from './migration.js';
import { rewriteRelativeImports } from './relative-imports.js';
import { userSourceFiles } from './user-source-files.js';

const FROM = 'src/backends/http/summarize';
const TO = 'src/pipeline/summarize';

export const sharedSummarizer: Migration = {
  id: '0.4.0-shared-summarizer',
  version: '0.4.0',
  stage: 'before',
  description: 'move src/backends/http/summarize.ts to src/pipeline/summarize.ts, shared by the response budget',
  async run({ repo }) {
    if ((await repo.readDisk(`${TO}.ts`)) !== undefined) return; // already moved
    if ((await repo.readDisk(`${FROM}.ts`)) === undefined && !repo.manifest[`${FROM}.ts`]) return;
    await repo.rename(`${FROM}.ts`, `${TO}.ts`);
    const moved = new Map([[FROM, TO]]);
    for (const path of await userSourceFiles(repo)) {
      const contents = await repo.readDisk(path);
      if (contents === undefined) continue;
      const rewritten = rewriteRelativeImports(contents, { from: path, to: path, moved });
      if (rewritten !== contents) repo.write(path, rewritten);
    }
  },
};
