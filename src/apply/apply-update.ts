/** Writes an update plan into a repo as one transaction (see applyChanges). */
import type { UpdatePlan } from '../upgrade/plan-update.js';
import { applyChanges, type FileChange } from './apply-changes.js';
import { withSignalGuard } from './signal-guard.js';

export function updateChanges(plan: UpdatePlan): FileChange[] {
  const changes: FileChange[] = [];
  for (const c of plan.changes) {
    if (c.action === 'delete') changes.push({ path: c.path });
    else if (c.contents !== undefined && c.action !== 'unchanged' && c.action !== 'keep') {
      changes.push({ path: c.path, contents: c.contents, ...(c.mode ? { mode: c.mode } : {}), ...(c.encoding ? { encoding: c.encoding } : {}) });
    }
  }
  return changes;
}

export async function applyUpdate(dir: string, plan: UpdatePlan): Promise<void> {
  const changes = updateChanges(plan);
  if (changes.length === 0) return;
  await withSignalGuard((checkSignal) => applyChanges(dir, changes, { checkpoint: () => checkSignal() }));
}
