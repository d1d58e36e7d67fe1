/**
 * add-resource and add-prompt: (repo state, new resource or prompt) -> the changes that add it.
 * Writes nothing. It joins mcp-gen.json; the re-render adds its file and test (scaffold),
 * regenerates the registry (managed) and merges it into README / RUNBOOK (merged); the contract
 * lock gains its entry.
 */
import { SpecError } from '../spec/issues.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { promptLockEntry, resourceLockEntry } from '../contract/tools-lock.js';
import { addLockEntry } from './lock-entry.js';
import { currentSpec, inMcpGenJson, respec, type Respec } from './respec.js';

export type ItemField = 'resources' | 'prompts';

export async function planAddItem(
  repo: RepoState,
  field: ItemField,
  item: Record<string, unknown>,
  label: (path: readonly PropertyKey[]) => string,
): Promise<Respec> {
  const result = await respec(repo, () => {
    const current = currentSpec(repo);
    const list: ReadonlyArray<{ name: string }> = current[field];
    if (list.some((existing) => existing.name === item.name)) {
      throw new SpecError([`${label(['name'])}: "${String(item.name)}" already exists in this repo; choose another name`]);
    }
    return {
      raw: { ...(repo.rawSpec as Record<string, unknown>), [field]: [...list, item] },
      label: (path) => (path[0] === field && path[1] === list.length ? label(path.slice(2)) : inMcpGenJson(path)),
    };
  });
  if (field === 'resources') {
    const added = result.spec.resources[result.spec.resources.length - 1]!;
    await addLockEntry(result.changes, repo, 'resources', added.name, resourceLockEntry(added));
  } else {
    const added = result.spec.prompts[result.spec.prompts.length - 1]!;
    await addLockEntry(result.changes, repo, 'prompts', added.name, promptLockEntry(added));
  }
  return result;
}
