/**
 * What a prompt is: a reusable request for a common workflow, with arguments the user fills in.
 * Each file in src/prompts/ default-exports one, and src/prompts/registry.ts lists them. A
 * prompts/get runs through the same pipeline as a tool call: authorized, rate-limited, its
 * arguments validated, the messages redacted, audited.
 */
import type { PromptMessage } from '@modelcontextprotocol/server';
import type { z } from 'zod';

import { checkCompleters, type Completer } from './completion.js';
import { checkGoverned, type Governed } from './governed.js';
import type { InputQuestion } from './input-requests.js';
import type { ToolContext } from './tool-context.js';

export type { ToolContext } from './tool-context.js';
export { ToolError } from './tool-error.js';
export type { Completer, CompletionContext } from './completion.js';
export { elicit, listRoots, sample, type CallInput, type InputQuestion } from './input-requests.js';

export interface PromptDefinition<Args extends z.ZodObject = z.ZodObject> extends Governed {
  /** What the prompt is for: clients show it when offering prompts. */
  description: string;
  /** Its arguments, each a string (optional ones `.optional()`); `z.object({})` for none. */
  arguments: Args;
  /** Its messages; or `ctx.input.ask(...)` to ask the client for more first (input-requests.ts). */
  get(args: z.output<Args>, ctx: ToolContext): Promise<PromptMessages | InputQuestion> | PromptMessages | InputQuestion;
  /** Suggestions for an argument as the user types it (completion/complete); none: no suggestions. */
  complete?: Readonly<Record<string, Completer>> | undefined;
}

export type PromptMessages = {
  description?: string;
  messages: PromptMessage[];
};

/** A prompt of any arguments, as the registry and the pipeline hold them. */
export type AnyPrompt = PromptDefinition<any>;

/** Declares a prompt; checks at load time what TypeScript cannot (name, version, rate limit). */
export function definePrompt<Args extends z.ZodObject>(prompt: PromptDefinition<Args>): PromptDefinition<Args> {
  checkGoverned('Prompt', prompt);
  checkCompleters('Prompt', prompt.name, prompt.complete, Object.keys(prompt.arguments.shape));
  return prompt;
}

/** `template` with each `{name}` replaced by that argument (an argument left out: nothing). */
export function fillMessage(template: string, args: Readonly<Record<string, string | undefined>>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => args[name] ?? '');
}

/** One user message of text. */
export function userMessage(text: string): PromptMessage {
  return { role: 'user', content: { type: 'text', text } };
}
