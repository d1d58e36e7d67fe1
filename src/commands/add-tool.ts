/**
 * add-tool: (repo state, new tool) -> the changes that add it. Writes nothing.
 * The new tool joins mcp-gen.json; the re-render adds its files (scaffold), regenerates the
 * registry (managed) and merges the tool into README / RUNBOOK (merged). The contract lock
 * keeps every entry it has (they may have been updated on purpose) and gains the new tool.
 */
import { SpecError } from '../spec/issues.js';
import { toolLockEntry } from '../contract/tools-lock.js';
import { addLockEntry } from './lock-entry.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { currentSpec, inMcpGenJson, respec, type Respec } from './respec.js';

export async function planAddTool(repo: RepoState, tool: Record<string, unknown>, label: (path: readonly PropertyKey[]) => string): Promise<Respec> {
  const result = await respec(repo, () => {
    const current = currentSpec(repo);
    if (current.tools.some((t) => t.name === tool.name)) {
      throw new SpecError([`${label(['name'])}: "${String(tool.name)}" already exists in this repo; choose another name`]);
    }
    // Checked here, not left to the spec: its check would name the resource or prompt as the clash.
    const holder = current.resources.some((r) => r.name === tool.name) ? 'a resource' : current.prompts.some((p) => p.name === tool.name) ? 'a prompt' : undefined;
    if (holder) {
      throw new SpecError([`${label(['name'])}: "${String(tool.name)}" is already ${holder}'s name in this repo (tools, resources and prompts share one namespace); choose another name`]);
    }
    return {
      raw: { ...(repo.rawSpec as Record<string, unknown>), tools: [...current.tools, tool] },
      label: (path) => (path[0] === 'tools' && path[1] === current.tools.length ? label(path.slice(2)) : inMcpGenJson(path)),
    };
  });
  const added = result.spec.tools[result.spec.tools.length - 1]!;
  await addLockEntry(result.changes, repo, 'tools', added.name, toolLockEntry(added));
  return result;
}
