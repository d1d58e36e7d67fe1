/** How an update plan reads on a terminal: one line per path, optionally with unified diffs. */
import { createTwoFilesPatch } from 'diff';
import type { PlannedUpdate, UpdatePlan } from '../upgrade/plan-update.js';

export function formatUpdatePlan(plan: UpdatePlan, options: { diffs?: boolean; before?: Map<string, string | undefined> } = {}): string {
  const visible = plan.changes.filter((c) => c.action !== 'unchanged' && c.class !== 'state');
  if (visible.length === 0) return 'Nothing to change.';
  const lines = visible.map((c) => `  ${c.action.padEnd(9)} ${c.path}${c.reason ? `  (${c.reason})` : ''}`);
  if (options.diffs && options.before) {
    for (const change of visible) {
      if (change.contents === undefined && change.action !== 'delete') continue;
      lines.push('', unifiedDiff(change, options.before.get(change.path)));
    }
  }
  return lines.join('\n');
}

function unifiedDiff(change: PlannedUpdate, before: string | undefined): string {
  const from = before === undefined ? '/dev/null' : `a/${change.path}`;
  const to = change.action === 'delete' ? '/dev/null' : `b/${change.path}`;
  return createTwoFilesPatch(from, to, before ?? '', change.contents ?? '', '', '', { context: 3 }).replace(/^=+\n/, '').trimEnd();
}
