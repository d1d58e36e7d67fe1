/** How a plan reads on a terminal (`--dry-run`, and the summary after writing). */
import type { Plan } from './plan.js';

export function formatPlan(plan: Plan): string {
  const lines = plan.files.map((f) => `  ${f.action.padEnd(9)} ${f.path}  (${formatBytes(f.bytes)})`);
  const counts = countActions(plan);
  const summary = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${n} to ${action === 'unchanged' ? 'leave unchanged' : action}`)
    .join(', ');
  return `${lines.join('\n')}\n${plan.files.length} files in ${plan.target}: ${summary}`;
}

export function countActions(plan: Plan): Record<'create' | 'update' | 'unchanged', number> {
  const counts = { create: 0, update: 0, unchanged: 0 };
  for (const f of plan.files) counts[f.action]++;
  return counts;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}
