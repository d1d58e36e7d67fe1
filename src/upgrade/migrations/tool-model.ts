/**
 * 0.5.0: the tool model (what a tool is, its handler's context, ToolError) moved out of the
 * pipeline into src/tool-model/, a module that imports nothing of the pipeline, so backends can
 * throw ToolError without an import cycle. src/pipeline/define-tool.ts is template-owned
 * (merged), so this moves it with its merge base, and the re-render merges the template's new
 * version into it with the user's edits; every file of the user's that imports it (each tool
 * file does) is pointed at the new path. define-tool.ts still exports ToolContext and ToolError,
 * so tool files keep importing all they need from one module.
 * A second run finds the file moved and does nothing.
 */
import type { Migration } from './migration.js';
import { moveMergedModule } from './move-module.js';

const FROM = 'src/pipeline/define-tool';
const TO = 'src/tool-model/define-tool';

export const toolModel: Migration = {
  id: '0.5.0-tool-model',
  version: '0.5.0',
  stage: 'before',
  description: 'move src/pipeline/define-tool.ts to src/tool-model/define-tool.ts, a leaf module, and repoint the imports of tool files',
  async run({ repo }) {
    await moveMergedModule(repo, FROM, TO);
  },
};
