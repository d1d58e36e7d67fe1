/**
 * 0.2.0: the contract check compares tool descriptions too (a changed description is a
 * patch change). Locks written by 0.1.0 hold none, so every tool would look changed; this
 * records each tool's description from mcp-gen.json in the lock, as 0.2.0 writes it.
 */
import type { Migration } from '../migrations.js';
import { LOCK_FILE, lockText, type ToolsLock } from '../../contract/tools-lock.js';
import { titleFromName } from '../../spec/tool-defaults.js';

export const lockDescriptions: Migration = {
  id: '0.2.0-lock-descriptions',
  version: '0.2.0',
  stage: 'before',
  description: 'record each tool description in contracts/tools.lock.json',
  async run({ spec, repo }) {
    const text = await repo.readDisk(LOCK_FILE);
    if (text === undefined) return;
    const lock = JSON.parse(text) as ToolsLock;
    const tools = (spec.tools ?? []) as Array<{ name: string; title?: string; access?: string; description?: string }>;
    for (const tool of tools) {
      const entry = lock.tools[tool.name];
      if (!entry || entry.description !== undefined) continue;
      // 0.1.0 always recorded complete tool specs, so the description is there.
      const { version, title, access, description: _missing, ...rest } = entry;
      lock.tools[tool.name] = { version, title, description: tool.description ?? titleFromName(tool.name), access, ...rest };
    }
    repo.write(LOCK_FILE, lockText(lock));
  },
};
