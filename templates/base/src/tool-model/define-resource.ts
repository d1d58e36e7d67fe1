/**
 * What a resource is: data the model can read into its context (a schema, a catalog, one record
 * by URI). Each file in src/resources/ default-exports one, and src/resources/registry.ts lists
 * them. A read runs through the same pipeline as a tool call: authorized by `scopes` and the
 * tenant's rollout, rate-limited, its variables validated, redacted, audited.
 */
import type { z } from 'zod';

import { checkCompleters, type Completer } from './completion.js';
import { checkGoverned, type Governed } from './governed.js';
import type { InputQuestion } from './input-requests.js';
import type { ToolContext } from './tool-context.js';

export type { ToolContext } from './tool-context.js';
export { ToolError } from './tool-error.js';
export type { Completer, CompletionContext } from './completion.js';
export { elicit, listRoots, sample, type CallInput, type InputQuestion } from './input-requests.js';

/** What a read returns: text (JSON is text), or binary data as base64. */
export type ResourceBody = { text: string } | { blob: string };

/** A read's context: a tool handler's (backends bound to the caller's tenant, read-only), and the URI read. */
export interface ResourceContext extends ToolContext {
  uri: string;
}

export interface ResourceDefinition<Variables extends z.ZodObject = z.ZodObject> extends Governed {
  /** What it holds and when to read it. */
  description: string;
  /** One resource: its URI. Exactly one of `uri` and `uriTemplate`. */
  uri?: string | undefined;
  /** A family of resources: each `{variable}` is a value the client fills in (never the tenant: that is the credential's). */
  uriTemplate?: string | undefined;
  mimeType: string;
  /** The template's variables, each a string, checked before `read`; `z.object({})` for one resource. */
  variables: Variables;
  /** Its contents; or `ctx.input.ask(...)` to ask the client for more first (input-requests.ts). */
  read(variables: z.output<Variables>, ctx: ResourceContext): Promise<ResourceBody | InputQuestion> | ResourceBody | InputQuestion;
  /** A family of resources: suggestions for a variable as the user types it (completion/complete). */
  complete?: Readonly<Record<string, Completer>> | undefined;
}

/** A resource of any variables, as the registry and the pipeline hold them. */
export type AnyResource = ResourceDefinition<any>;

/** Declares a resource; checks at load time what TypeScript cannot (name, version, URI form, variables). */
export function defineResource<Variables extends z.ZodObject>(resource: ResourceDefinition<Variables>): ResourceDefinition<Variables> {
  checkGoverned('Resource', resource);
  if ((resource.uri === undefined) === (resource.uriTemplate === undefined)) {
    throw new Error(`Resource ${resource.name}: needs exactly one of uri and uriTemplate`);
  }
  const named = [...(resource.uriTemplate ?? '').matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).sort();
  const declared = Object.keys(resource.variables.shape).sort();
  if (named.join() !== declared.join()) {
    throw new Error(`Resource ${resource.name}: variables (${declared.join(', ') || 'none'}) must be the URI template's (${named.join(', ') || 'none'})`);
  }
  checkCompleters('Resource', resource.name, resource.complete, declared);
  return resource;
}
