/** create: (spec, target directory) -> the tree to write and the plan for it. Writes nothing. */
import { resolve } from 'node:path';
import { renderProject } from '../render/render-project.js';
import type { FileTree } from '../render/file-tree.js';
import { planTree, TargetError, type Plan } from '../apply/plan.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';

export interface CreatePlan {
  tree: FileTree;
  plan: Plan;
}

export async function planCreate(spec: CompleteProjectSpec, target: string, options: { force: boolean }): Promise<CreatePlan> {
  const dir = resolve(target);
  const tree = await renderProject(spec);
  const plan = await planTree(tree, dir);
  if (plan.targetState === 'non-empty' && !options.force) {
    const more = plan.existingEntries.length >= 5 ? ', ...' : '';
    throw new TargetError(
      `${target} is not empty (${plan.existingEntries.join(', ')}${more}); choose a new directory or pass --force to write into it`,
    );
  }
  return { tree, plan };
}
