/**
 * Tools that exist only in tests, to drive every branch of the pipeline (ok, error, invalid,
 * denied, rate limited) independently of the tools this repo ships.
 */
import { z } from 'zod';

import { defineTool, ToolError } from '../../src/tool-model/define-tool.js';

export const echo = defineTool({
  name: 'probe.echo',
  version: '1.0.0',
  title: 'Echo',
  description: 'Returns the message and who called.',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({ message: z.string().max(100) }).strict(),
  outputSchema: z.object({ message: z.string(), tenant: z.string(), subject: z.string() }),
  handler: (input, ctx) => ({ message: input.message, tenant: ctx.tenant, subject: ctx.principal.subject }),
});

export const leaky = defineTool({
  name: 'probe.leaky',
  version: '1.0.0',
  title: 'Fails with a secret in its error',
  description: 'Throws an unexpected error whose message holds a secret.',
  access: 'write',
  scopes: ['probe:write'],
  inputSchema: z.object({}).strict(),
  outputSchema: z.object({}),
  handler: () => {
    throw new Error('connect ECONNREFUSED postgres://admin:hunter2@db.internal:5432');
  },
});

export const notFound = defineTool({
  name: 'probe.not_found',
  version: '1.0.0',
  title: 'Business error',
  description: 'Throws a ToolError the model should read.',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({ id: z.string() }).strict(),
  outputSchema: z.object({}),
  handler: (input) => {
    throw new ToolError('not_found', `No record ${input.id}.`);
  },
});

export const badOutput = defineTool({
  name: 'probe.bad_output',
  version: '1.0.0',
  title: 'Returns the wrong shape',
  description: 'Returns a result that does not match its output schema.',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({}).strict(),
  outputSchema: z.object({ count: z.number() }),
  handler: () => ({ count: 'many' }) as unknown as { count: number },
});

export const limited = defineTool({
  name: 'probe.limited',
  version: '1.0.0',
  title: 'Own rate limit',
  description: 'Has its own per-tenant limit of 2 calls a minute.',
  access: 'read',
  scopes: ['probe:read'],
  rateLimit: { perMinute: 2 },
  inputSchema: z.object({}).strict(),
  outputSchema: z.object({ ok: z.boolean() }),
  handler: () => ({ ok: true }),
});

/** Resolves when released: lets a test hold a call in flight. */
export function createSlowTool() {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started: () => void = () => {};
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const tool = defineTool({
    name: 'probe.slow',
    version: '1.0.0',
    title: 'Slow',
    description: 'Waits until the test releases it.',
    access: 'read',
    scopes: ['probe:read'],
    inputSchema: z.object({}).strict(),
    outputSchema: z.object({ finished: z.boolean() }),
    handler: async () => {
      started();
      await released;
      return { finished: true };
    },
  });
  return { tool, release, running };
}

export const probeTools = [echo, leaky, notFound, badOutput, limited];

/**
 * Write tools behind each approval mode, counting the calls that really ran: an approval test
 * proves what did not happen by the count staying put.
 */
export function createApprovalProbes() {
  const ran: Array<{ tool: string; tenant: string; note: string }> = [];
  const outputSchema = z.object({ note: z.string(), tenant: z.string() });
  const confirmed = defineTool({
    name: 'probe.confirmed_write',
    version: '1.0.0',
    title: 'Write after the user confirms',
    description: 'Records a note once the user confirms in the client.',
    access: 'write',
    approval: 'client',
    scopes: ['probe:write'],
    inputSchema: z.object({ note: z.string() }).strict(),
    outputSchema,
    handler: (input, ctx) => {
      ran.push({ tool: 'probe.confirmed_write', tenant: ctx.tenant, note: input.note });
      return { note: input.note, tenant: ctx.tenant };
    },
  });
  const approved = defineTool({
    name: 'probe.approved_write',
    version: '1.0.0',
    title: 'Write after an approver grants it',
    description: 'Records a note once an approver other than the caller grants the call.',
    access: 'write',
    approval: 'human',
    scopes: ['probe:write'],
    inputSchema: z.object({ note: z.string(), approvalId: z.string().optional() }).strict(),
    outputSchema,
    handler: (input, ctx) => {
      ran.push({ tool: 'probe.approved_write', tenant: ctx.tenant, note: input.note });
      return { note: input.note, tenant: ctx.tenant };
    },
  });
  return { confirmed, approved, ran, tools: [echo, confirmed, approved] };
}
