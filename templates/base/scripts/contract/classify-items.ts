/**
 * The contract of resources and prompts, and how each difference is classified. A client that
 * reads a resource depends on its URI (or URI template) and its media type; one that gets a
 * prompt depends on its arguments. As for tools, when in doubt a change is breaking.
 */
import type { ChangeClass } from './classify-schema.js';

export interface ResourceContract {
  version: string;
  title?: string;
  description?: string;
  uri?: string;
  uriTemplate?: string;
  mimeType: string;
  deprecated?: { replacement?: string; removeAfter?: string };
}

export interface PromptArgumentContract {
  name: string;
  description?: string;
  required: boolean;
}

export interface PromptContract {
  version: string;
  title?: string;
  description?: string;
  arguments: PromptArgumentContract[];
  deprecated?: { replacement?: string; removeAfter?: string };
}

type Add = (cls: ChangeClass, path: string, sentence: string) => void;

/** Title, description and deprecation: what every kind of item shares. */
function classifyCommon(kind: string, old: { title?: string; description?: string; deprecated?: object }, now: typeof old, add: Add): void {
  if ((old.title ?? '') !== (now.title ?? '')) add('patch', 'title', 'title changed');
  if ((old.description ?? '') !== (now.description ?? '')) add('patch', 'description', 'description changed');
  if (!old.deprecated && now.deprecated) add('minor', 'deprecated', `${kind} was marked deprecated`);
  else if (old.deprecated && !now.deprecated) add('patch', 'deprecated', `${kind} is no longer deprecated`);
  else if (JSON.stringify(old.deprecated) !== JSON.stringify(now.deprecated)) add('patch', 'deprecated', 'deprecation details changed');
}

export function classifyResource(old: ResourceContract | undefined, now: ResourceContract | undefined, add: Add): void {
  if (!old) return add('minor', 'resource', 'new resource');
  if (!now) return add('breaking', 'resource', 'resource was removed: clients reading it would get "not found"');
  const oldUri = old.uri ?? old.uriTemplate;
  const newUri = now.uri ?? now.uriTemplate;
  if (oldUri !== newUri) add('breaking', 'uri', `URI changed from ${oldUri} to ${newUri}: clients reading the old one would get "not found"`);
  if (old.mimeType !== now.mimeType) add('breaking', 'mimeType', `media type changed from ${old.mimeType} to ${now.mimeType}: clients parse the contents by it`);
  classifyCommon('resource', old, now, add);
}

export function classifyPrompt(old: PromptContract | undefined, now: PromptContract | undefined, add: Add): void {
  if (!old) return add('minor', 'prompt', 'new prompt');
  if (!now) return add('breaking', 'prompt', 'prompt was removed');
  const before = new Map(old.arguments.map((a) => [a.name, a]));
  const after = new Map(now.arguments.map((a) => [a.name, a]));
  for (const [name, argument] of before) {
    const next = after.get(name);
    const path = `arguments.${name}`;
    if (!next) add('breaking', path, `argument "${name}" was removed: clients sending it would be refused`);
    else if (!argument.required && next.required) add('breaking', path, `argument "${name}" became required: clients leaving it out would be refused`);
    else if (argument.required && !next.required) add('minor', path, `argument "${name}" became optional`);
    if (next && (argument.description ?? '') !== (next.description ?? '')) add('patch', path, `argument "${name}": description changed`);
  }
  for (const [name, argument] of after) {
    if (before.has(name)) continue;
    if (argument.required) add('breaking', `arguments.${name}`, `new required argument "${name}": clients not sending it would be refused`);
    else add('minor', `arguments.${name}`, `new optional argument "${name}"`);
  }
  classifyCommon('prompt', old, now, add);
}
