/** Advice that is not an error: the spec is valid, but a reviewer would flag it. */
import type { ProjectSpec } from './project-spec.js';

/** Models pick tools better when names say what they do, verb first. */
const VERBS = [
  'get', 'list', 'search', 'find', 'query', 'read', 'fetch', 'lookup', 'count', 'describe', 'check', 'validate',
  'create', 'add', 'insert', 'update', 'set', 'patch', 'upsert', 'delete', 'remove', 'archive', 'cancel',
  'send', 'post', 'run', 'start', 'stop', 'approve', 'reject', 'assign', 'close', 'open', 'export', 'import',
  'sync', 'refund', 'charge', 'schedule', 'summarize', 'compare', 'calculate', 'estimate', 'generate', 'resolve',
];

export function specWarnings(spec: Pick<ProjectSpec, 'tools'>): string[] {
  const warnings: string[] = [];
  spec.tools.forEach((tool, i) => {
    // `crm.search_accounts`: the verb is what follows the namespace.
    const local = tool.name.split('.').pop() ?? tool.name;
    const first = local.split(/[_\-]|(?<=[a-z0-9])(?=[A-Z])/)[0]?.toLowerCase() ?? '';
    if (!VERBS.includes(first)) {
      warnings.push(
        `tools[${i}].name: "${tool.name}" does not start with a verb (get_, list_, search_, create_ ...); models choose tools better when the name says what it does`,
      );
    }
  });
  return warnings;
}
