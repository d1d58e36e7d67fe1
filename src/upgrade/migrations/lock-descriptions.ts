/**
 * 0.2.0: the contract check compares tool descriptions too (a changed description is a
 * patch change). Locks written by 0.1.0 hold none, and 0.1.0's RUNBOOK told users to edit a
 * tool's description in its file, so mcp-gen.json may not say what a tool serves: this
 * records in the lock the description each tool file serves (servedTools: the registry
 * loaded as `npm run contract -- --update` loads it, or the files read when the repo is not
 * installed). A tool whose description neither way can know keeps mcp-gen.json's, and the
 * upgrade names the step that settles it.
 */
import type { Migration } from './migration.js';
import { LOCK_FILE, lockText, type ToolsLock } from '../../contract/tools-lock.js';
import { titleFromName } from '../../spec/tool-defaults.js';
import { servedTools } from '../served-tools.js';

export const lockDescriptions: Migration = {
  id: '0.2.0-lock-descriptions',
  version: '0.2.0',
  stage: 'before',
  description: 'record the description each tool file serves in contracts/tools.lock.json',
  async run({ spec, repo }) {
    const text = await repo.readDisk(LOCK_FILE);
    if (text === undefined) return;
    const lock = JSON.parse(text) as ToolsLock;
    const tools = (spec.tools ?? []) as Array<{ name: string; description?: string }>;
    const missing = tools.filter((tool) => lock.tools[tool.name] && lock.tools[tool.name]!.description === undefined);
    if (missing.length === 0) return;
    // The first migration to run: the tool files on disk are still the ones that serve.
    const served = await servedTools(repo);
    for (const tool of missing) {
      const entry = lock.tools[tool.name]!;
      let description = served.descriptions.get(tool.name);
      if (description === undefined) {
        description = tool.description ?? titleFromName(tool.name);
        repo.followUp(
          `${LOCK_FILE}: the description ${tool.name} serves could not be read from its file (not a plain string literal), so the lock records mcp-gen.json's; after npm install, if npm run contract reports "${tool.name}: description changed", put the served description in the lock's ${tool.name} entry by hand (the version needs no bump: the tool did not change)`,
        );
      }
      // 0.1.0 always recorded complete tool specs, so the other fields are there.
      const { version, title, access, description: _missing, ...rest } = entry;
      lock.tools[tool.name] = { version, title, description, access, ...rest };
    }
    repo.write(LOCK_FILE, lockText(lock));
  },
};
