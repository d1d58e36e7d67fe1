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
import { moveMergedModule } from './move-module.js';

const FROM = 'src/backends/http/summarize';
const TO = 'src/pipeline/summarize';

export const sharedSummarizer: Migration = {
  id: '0.4.0-shared-summarizer',
  version: '0.4.0',
  stage: 'before',
  description: 'move src/backends/http/summarize.ts to src/pipeline/summarize.ts, shared by the response budget',
  async run({ repo }) {
    await moveMergedModule(repo, FROM, TO);
  },
};
