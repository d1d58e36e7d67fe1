/**
 * add-tool: (repo state, new tool) -> the update plan that adds it. Writes nothing.
 * The new tool joins mcp-gen.json; the re-render adds its files (scaffold), regenerates the
 * registry (managed) and merges the tool into README / RUNBOOK (merged). The contract lock
 * keeps every entry it has (they may have been updated on purpose) and gains the new tool.
 */
import { parseSpec } from '../spec/parse.js';
import { SpecError, formatPath } from '../spec/issues.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { renderProject } from '../render/render-project.js';
import { lockText, toolLockEntry, LOCK_FILE, type ToolsLock } from '../contract/tools-lock.js';
import { planUpdate, type UpdatePlan } from '../upgrade/plan-update.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { requireSameGenerator } from './same-generator.js';

export interface AddToolResult {
  spec: CompleteProjectSpec;
  plan: UpdatePlan;
}

export async function planAddTool(repo: RepoState, tool: Record<string, unknown>, label: (path: readonly PropertyKey[]) => string): Promise<AddToolResult> {
  requireSameGenerator(repo);
  const current = parseSpec(repo.rawSpec, (path) => `mcp-gen.json: ${formatPath(path)}`);
  if (current.tools.some((t) => t.name === tool.name)) {
    throw new SpecError([`${label(['name'])}: "${String(tool.name)}" already exists in this repo; choose another name`]);
  }
  const raw = repo.rawSpec as Record<string, unknown>;
  const spec = parseSpec({ ...raw, tools: [...current.tools, tool] }, (path) =>
    path[0] === 'tools' && path[1] === current.tools.length ? label(path.slice(2)) : `mcp-gen.json: ${formatPath(path)}`,
  );
  const added = spec.tools[spec.tools.length - 1]!;
  const plan = await planUpdate(await renderProject(spec), repo);
  await addToLock(plan, repo, spec, added.name);
  return { spec, plan };
}

/**
 * The lock is the repo's (scaffold, kept by `npm run contract -- --update`), so the re-render
 * leaves it alone; adding a tool is the one edit the generator makes to it: a new entry at
 * the tool's declared version, every other entry exactly as it is on disk.
 */
async function addToLock(plan: UpdatePlan, repo: RepoState, spec: CompleteProjectSpec, newTool: string): Promise<void> {
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
  const index = plan.changes.findIndex((c) => c.path === LOCK_FILE);
  const change = { path: LOCK_FILE, class: 'scaffold' as const, action: text === undefined ? ('create' as const) : ('update' as const), contents: lockText(lock), reason: `adds ${newTool}` };
  if (index === -1) plan.changes.push(change);
  else plan.changes[index] = change;
}
