/**
 * Resources and prompts that exist only in tests, to drive the pipeline's governance of reads and
 * gets independently of what this repo ships: they report what the pipeline gave them.
 */
import { z } from 'zod';

import { definePrompt, fillMessage, userMessage } from '../../src/tool-model/define-prompt.js';
import { defineResource, ToolError } from '../../src/tool-model/define-resource.js';

/** Echoes the tenant the read ran as, whatever tenant the URI names. */
export const tenantNote = defineResource({
  name: 'probe.tenant_note',
  version: '1.0.0',
  title: 'A note of a tenant',
  description: 'Reports the tenant the read ran as and the note id asked for.',
  uriTemplate: 'probe://tenants/{tenant}/notes/{id}',
  mimeType: 'application/json',
  scopes: ['probe:read'],
  variables: z.object({ tenant: z.string().min(1), id: z.string().regex(/^[a-z0-9-]+$/) }).strict(),
  // Suggests the caller's own notes, whatever tenant the URI being typed names.
  complete: { id: (value, ctx) => [`${ctx.tenant}-note-1`, `${ctx.tenant}-note-2`].filter((id) => id.startsWith(value)) },
  read: (variables, ctx) => {
    if (variables.id === 'missing') throw new ToolError('not_found', `No note ${variables.id}.`);
    return { text: JSON.stringify({ ranAs: ctx.tenant, askedFor: variables.tenant, id: variables.id, uri: ctx.uri }) };
  },
});

/** Returns text holding a secret-looking value (for REDACT_TOOL_OUTPUT). */
export const leakyNotes = defineResource({
  name: 'probe.leaky_notes',
  version: '1.0.0',
  title: 'Notes with a secret',
  description: 'Text that holds a credential, to show output redaction.',
  uri: 'probe://notes/leaky',
  mimeType: 'text/plain',
  scopes: ['probe:read'],
  rateLimit: { perMinute: 2 },
  variables: z.object({}).strict(),
  read: () => ({ text: 'connect with postgres://admin:hunter2@db.internal:5432/crm' }),
});

export const briefing = definePrompt({
  name: 'probe.briefing',
  version: '1.0.0',
  title: 'Briefing',
  description: 'A briefing request about an account.',
  scopes: ['probe:read'],
  arguments: z.object({ account: z.string().min(1).max(100).describe('The account'), tone: z.string().optional() }).strict(),
  get: (args, ctx) => ({ messages: [userMessage(fillMessage('Brief {account} for tenant ', args) + ctx.tenant + fillMessage(' ({tone})', args))] }),
  complete: { account: (value, ctx) => [`${ctx.tenant}-initech`, `${ctx.tenant}-initrode`, `${ctx.tenant}-umbrella`].filter((name) => name.includes(value)) },
});

/** A 1x1 PNG, base64. */
export const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** Returns an embedded resource whose text holds a credential, and an image (for REDACT_TOOL_OUTPUT on prompts). */
export const leakyContext = definePrompt({
  name: 'probe.leaky_context',
  version: '1.0.0',
  title: 'Context with a secret',
  description: 'An embedded resource that holds a credential, and an image.',
  scopes: ['probe:read'],
  arguments: z.object({}).strict(),
  get: () => ({
    messages: [
      { role: 'user', content: { type: 'resource', resource: { uri: 'probe://notes/leaky', mimeType: 'text/plain', text: 'connect with postgres://admin:hunter2@db.internal:5432/crm' } } },
      { role: 'user', content: { type: 'image', data: PIXEL_PNG, mimeType: 'image/png' } },
      userMessage('Summarize the notes above.'),
    ],
  }),
});

export const probeResources = [tenantNote, leakyNotes];
export const probePrompts = [briefing];
