/**
 * Completions (completion/complete): suggestions for a prompt's argument or a resource
 * template's variable as the user types it. A completer gets the same tenant-scoped context as a
 * handler, so it can only suggest the caller's tenant's values.
 */
import type { ToolContext } from './tool-context.js';

export interface CompletionContext extends ToolContext {
  /** The other arguments (variables) the user has filled in already. */
  arguments: Readonly<Record<string, string>>;
}

/** Suggestions for `value` (what the user has typed so far), best first; at most 100 are sent. */
export type Completer = (value: string, ctx: CompletionContext) => Promise<readonly string[]> | readonly string[];

/** Completers by argument (variable) name; each name must be one of `names`. */
export function checkCompleters(kind: 'Resource' | 'Prompt', name: string, completers: Readonly<Record<string, Completer>> | undefined, names: readonly string[]): void {
  for (const key of Object.keys(completers ?? {})) {
    if (!names.includes(key)) throw new Error(`${kind} ${name}: complete.${key} completes nothing: ${names.length > 0 ? `its ${kind === 'Prompt' ? 'arguments are' : 'variables are'} ${names.join(', ')}` : `it has no ${kind === 'Prompt' ? 'arguments' : 'variables'}`}`);
  }
}
