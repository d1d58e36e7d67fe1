/**
 * Output redaction (stage `redact-output`, REDACT_TOOL_OUTPUT=true): redact a tool's result (a
 * resource's text, a prompt's messages) before it reaches the model, with the
 * same rules as audit records and logs (src/redaction/redactor.ts). For tools that return data
 * users typed in (notes, tickets, emails) that may hold secrets or personal data the model does
 * not need. Redacted values are strings, so an outputSchema that constrains a string's format
 * (an email field, say) may no longer match: leave such tools unredacted or loosen the field.
 */
import type { CallToolResult, CompleteResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/server';

import type { Redactor } from '../redaction/redactor.js';
import type { PipelineResult } from './results.js';

export function redactOutput(outcome: PipelineResult, redactor: Redactor): PipelineResult {
  const result = outcome.result;
  if ('contents' in result) return redactContents(outcome, result as ReadResourceResult, redactor);
  if ('messages' in result) return redactMessages(outcome, result as GetPromptResult, redactor);
  if ('completion' in result) return redactCompletion(outcome, result as CompleteResult, redactor);
  if (!('content' in result)) return outcome; // a question to the client, not a result
  return redactToolResult(outcome, result as CallToolResult, redactor);
}

function redactToolResult(outcome: PipelineResult, result: CallToolResult, redactor: Redactor): PipelineResult {
  const original = result.structuredContent;
  const structured = original ? redactor.value(original) : undefined;
  // Only when something was redacted: the text copy of structuredContent becomes the JSON of the redacted copy.
  const originalText = structured !== original ? JSON.stringify(original) : undefined;
  const content = result.content.map((block) =>
    originalText !== undefined && block.type === 'text' && block.text === originalText ? { ...block, text: JSON.stringify(structured) } : redactBlock(block, redactor),
  );
  if (structured === original && content.every((block, i) => block === result.content[i])) return outcome;
  return { ...outcome, result: { ...result, content, ...(structured ? { structuredContent: structured } : {}) } };
}

/** A resource's text contents (binary ones are left as they are). */
function redactContents(outcome: PipelineResult, result: ReadResourceResult, redactor: Redactor): PipelineResult {
  const contents = result.contents.map((item) => redactText(item, redactor));
  return contents.every((item, i) => item === result.contents[i]) ? outcome : { ...outcome, result: { ...result, contents } };
}

/** A prompt's messages: their text, and the text of resources embedded in them. */
function redactMessages(outcome: PipelineResult, result: GetPromptResult, redactor: Redactor): PipelineResult {
  const messages = result.messages.map((message) => {
    const content = redactBlock(message.content, redactor);
    return content === message.content ? message : { ...message, content };
  });
  return messages.every((message, i) => message === result.messages[i]) ? outcome : { ...outcome, result: { ...result, messages } };
}

/** Suggestions are the tenant's data too. */
function redactCompletion(outcome: PipelineResult, result: CompleteResult, redactor: Redactor): PipelineResult {
  const values = result.completion.values.map((value) => redactor.text(value));
  return values.every((value, i) => value === result.completion.values[i]) ? outcome : { ...outcome, result: { ...result, completion: { ...result.completion, values } } };
}

/**
 * A text block, or a resource embedded in a block (tool-model/content.ts), redacted: text the
 * model reads. Images, audio, links and binary resources are left as they are. Unchanged: the
 * same object.
 */
function redactBlock<B extends { type: string }>(block: B, redactor: Redactor): B {
  if (block.type === 'text') return redactText(block as B & { text: string }, redactor);
  if (block.type !== 'resource') return block;
  const embedded = block as B & { resource: { text?: string } };
  const resource = redactText(embedded.resource, redactor);
  return resource === embedded.resource ? block : { ...embedded, resource };
}

/** `item` with its text redacted, or `item` itself when it has none or nothing changed. */
function redactText<T extends object>(item: T, redactor: Redactor): T {
  if (!('text' in item) || typeof item.text !== 'string') return item;
  const text = redactor.text(item.text);
  return text === item.text ? item : { ...item, text };
}
