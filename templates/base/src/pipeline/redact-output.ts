/**
 * Output redaction (stage `redact-output`, REDACT_TOOL_OUTPUT=true): redact a tool's result (a
 * resource's text, a prompt's messages) before it reaches the model, with the
 * same rules as audit records and logs (src/redaction/redactor.ts). For tools that return data
 * users typed in (notes, tickets, emails) that may hold secrets or personal data the model does
 * not need. Redacted values are strings, so an outputSchema that constrains a string's format
 * (an email field, say) may no longer match: leave such tools unredacted or loosen the field.
 */
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/server';

import type { Redactor } from '../redaction/redactor.js';
import type { PipelineResult } from './results.js';

export function redactOutput(outcome: PipelineResult, redactor: Redactor): PipelineResult {
  const result = outcome.result;
  if ('contents' in result) return redactContents(outcome, result as ReadResourceResult, redactor);
  if ('messages' in result) return redactMessages(outcome, result as GetPromptResult, redactor);
  if (!('content' in result)) return outcome; // a question to the client, not a result
  return redactToolResult(outcome, result as CallToolResult, redactor);
}

function redactToolResult(outcome: PipelineResult, result: CallToolResult, redactor: Redactor): PipelineResult {
  const original = result.structuredContent;
  const structured = original ? redactor.value(original) : undefined;
  // Only when something was redacted: the text copy of structuredContent becomes the JSON of the redacted copy.
  const originalText = structured !== original ? JSON.stringify(original) : undefined;
  let changed = structured !== original;
  const content = result.content.map((block) => {
    // An embedded text resource (tool-model/content.ts) is text the model reads too.
    if (block.type === 'resource' && 'text' in block.resource) {
      const text = redactor.text(block.resource.text);
      if (text === block.resource.text) return block;
      changed = true;
      return { ...block, resource: { ...block.resource, text } };
    }
    if (block.type !== 'text') return block;
    const text = originalText !== undefined && block.text === originalText ? JSON.stringify(structured) : redactor.text(block.text);
    if (text === block.text) return block;
    changed = true;
    return { ...block, text };
  });
  if (!changed) return outcome;
  return { ...outcome, result: { ...result, content, ...(structured ? { structuredContent: structured } : {}) } };
}

/** A resource's text contents (binary ones are left as they are). */
function redactContents(outcome: PipelineResult, result: ReadResourceResult, redactor: Redactor): PipelineResult {
  let changed = false;
  const contents = result.contents.map((item) => {
    if (!('text' in item)) return item;
    const text = redactor.text(item.text);
    if (text === item.text) return item;
    changed = true;
    return { ...item, text };
  });
  return changed ? { ...outcome, result: { ...result, contents } } : outcome;
}

/** A prompt's text messages, and the text of resources embedded in them (images, audio and binary resources are left as they are). */
function redactMessages(outcome: PipelineResult, result: GetPromptResult, redactor: Redactor): PipelineResult {
  let changed = false;
  const messages = result.messages.map((message) => {
    const { content } = message;
    if (content.type === 'text') {
      const text = redactor.text(content.text);
      if (text === content.text) return message;
      changed = true;
      return { ...message, content: { ...content, text } };
    }
    if (content.type === 'resource' && 'text' in content.resource) {
      const text = redactor.text(content.resource.text);
      if (text === content.resource.text) return message;
      changed = true;
      return { ...message, content: { ...content, resource: { ...content.resource, text } } };
    }
    return message;
  });
  return changed ? { ...outcome, result: { ...result, messages } } : outcome;
}
