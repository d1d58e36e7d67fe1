/**
 * add-tool: (repo state, new tool) -> the changes that add it. Writes nothing.
 * The new tool joins mcp-gen.json; the re-render adds its files (scaffold), regenerates the
 * registry (managed) and merges the tool into README / RUNBOOK (merged). The contract lock
 * keeps every entry it has (they may have been updated on purpose) and gains the new tool.
 */
import { SpecError } from '../spec/issues.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { lockText, toolLockEntry, LOCK_FILE, type ToolsLock } from '../contract/tools-lock.js';
import { replaceChange, type ChangeList } from '../apply/changes.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { currentSpec, inMcpGenJson, respec, type Respec } from './respec.js';

export async function planAddTool(repo: RepoState, tool: Record<string, unknown>, label: (path: readonly PropertyKey[]) => string): Promise<Respec> {
  const result = await respec(repo, () => {
    const current = currentSpec(repo);
    if (current.tools.some((t) => t.name === tool.name)) {
      throw new SpecError([`${label(['name'])}: "${String(tool.name)}" already exists in this repo; choose another name`]);
    }
    return {
      raw: { ...(repo.rawSpec as Record<string, unknown>), tools: [...current.tools, tool] },
      label: (path) => (path[0] === 'tools' && path[1] === current.tools.length ? label(path.slice(2)) : inMcpGenJson(path)),
    };
  });
  await addToLock(result.changes, repo, result.spec, result.spec.tools[result.spec.tools.length - 1]!.name);
  return result;
}

/**
 * The lock is the repo's (scaffold, kept by `npm run contract -- --update`), so the re-render
 * leaves it alone; adding a tool is the one edit the generator makes to it: a new entry at
 * the tool's declared version, every other entry exactly as it is on disk.
 */
async function addToLock(changes: ChangeList, repo: RepoState, spec: CompleteProjectSpec, newTool: string): Promise<void> {
  const text = await repo.readDisk(LOCK_FILE);
  let onDisk: ToolsLock = { tools: {} };
  if (text !== undefined) {
    try {
      onDisk = JSON.parse(text) as ToolsLock;
    } catch {
      throw new SpecError([`${LOCK_FILE} is not valid JSON; fix it (or delete it to start afresh) before adding a tool`]);
    }
  }
  const lock = { tools: { ...onDisk.tools, [newTool]: toolLockEntry(spec.tools.find((tool) => tool.name === newTool)!) } };
  replaceChange(changes, { path: LOCK_FILE, class: 'scaffold', action: text === undefined ? 'create' : 'update', contents: lockText(lock), reason: `adds ${newTool}` });
}
