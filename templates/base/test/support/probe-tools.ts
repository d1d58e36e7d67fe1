/**
 * Tools that exist only in tests, to drive every branch of the pipeline (ok, error, invalid,
 * denied, rate limited) independently of the tools this repo ships.
 */
import { z } from 'zod';

import { defineTool, embeddedResource, image, resourceLink, ToolError, withContent } from '../../src/tool-model/define-tool.js';

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

/** The smallest PNG: one transparent pixel. */
export const ONE_PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * Uses the rest of the tool surface: reports progress `steps` times, logs to the client at
 * debug, info (with `secret` in its data and its text) and warning, and answers its structured
 * result with an image, a resource link and an embedded text resource (`note`).
 */
export const report = defineTool({
  name: 'probe.report',
  version: '1.0.0',
  title: 'Report with progress',
  description: 'Works in steps, telling the client how far it got, and answers with a chart.',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({ steps: z.number().int().min(0).max(10), secret: z.string().default(''), note: z.string().default('') }).strict(),
  outputSchema: z.object({ steps: z.number() }),
  handler: async (input, ctx) => {
    for (let step = 1; step <= input.steps; step++) await ctx.progress(step, input.steps, `step ${step}`);
    await ctx.clientLog.debug('starting the report');
    await ctx.clientLog.info(`using key ${input.secret}`, { apiKey: input.secret, rows: 3 });
    await ctx.clientLog.warning('the report is partial');
    return withContent({ steps: input.steps }, [
      image(ONE_PIXEL_PNG, 'image/png'),
      resourceLink({ uri: 'https://reports.example.com/r/1', name: 'report-1.pdf', mimeType: 'application/pdf' }),
      embeddedResource({ uri: 'note://report/1', mimeType: 'text/plain', text: input.note }),
    ]);
  },
});

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
