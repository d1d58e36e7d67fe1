/**
 * Handlers that ask the client for more mid-call (ctx.input, src/tool-model/input-requests.ts),
 * through a real client: each round is a call of its own, audited; the state a handler carries
 * between rounds is the server's (signed for the caller and the target); and nothing is asked of
 * a client that cannot answer it.
 */
import { Client, isInputRequiredResult, ProtocolError } from '@modelcontextprotocol/client';
import { InMemoryTransport, type CallToolResult, type GetPromptResult, type InputRequiredResult } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { definePrompt } from '../src/tool-model/define-prompt.js';
import { defineTool, elicit, sample } from '../src/tool-model/define-tool.js';
import { CONFIRM_YES, startHarness, textOf, type Harness } from './support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const confirmSchema = z.object({ confirm: z.boolean() });
const nameSchema = z.object({ name: z.string() });
const regionSchema = z.object({ region: z.enum(['eu', 'us']) });

/** Asks the user to confirm, then says what they answered. */
const confirmTool = defineTool({
  name: 'check_in',
  version: '1.0.0',
  title: 'Check in',
  description: 'Asks the user to confirm, then reports the answer.',
  access: 'read',
  scopes: ['tools:read'],
  inputSchema: z.object({}),
  outputSchema: z.object({ confirmed: z.boolean() }),
  handler(_input, ctx) {
    // Ask once: a declined or unfitting answer is an answer too (asking again would loop).
    if (ctx.input.response('confirm').kind === 'missing') return ctx.input.ask({ confirm: elicit({ message: 'Go on?', requestedSchema: confirmSchema }) });
    return { confirmed: ctx.input.accepted('confirm', confirmSchema)?.confirm ?? false };
  },
});

/** Asks a form of its own (not a confirmation), once, and reports what the user did with it. */
const regionTool = defineTool({
  name: 'pick_region',
  version: '1.0.0',
  title: 'Pick region',
  description: 'Asks the user for a region once, then reports what the user did with the form.',
  access: 'read',
  scopes: ['tools:read'],
  inputSchema: z.object({}),
  outputSchema: z.object({ action: z.string(), region: z.string().nullable() }),
  handler(_input, ctx) {
    const response = ctx.input.response('region');
    if (response.kind === 'missing') return ctx.input.ask({ region: elicit({ message: 'Which region?', requestedSchema: regionSchema }) });
    return { action: response.kind === 'elicit' ? response.action : response.kind, region: ctx.input.accepted('region', regionSchema)?.region ?? null };
  },
});

/** Two questions in two rounds, the first answer carried in the state. */
const twoStepTool = defineTool({
  name: 'two_steps',
  version: '1.0.0',
  title: 'Two steps',
  description: 'Asks for a name, then for a colour, then answers with both.',
  access: 'read',
  scopes: ['tools:read'],
  inputSchema: z.object({}),
  outputSchema: z.object({ name: z.string(), colour: z.string() }),
  handler(_input, ctx) {
    const carried = ctx.input.state<{ name: string }>();
    if (!carried) {
      const first = ctx.input.accepted('step1', nameSchema);
      if (!first) return ctx.input.ask({ step1: elicit({ message: 'Your name?', requestedSchema: nameSchema }) }, { step: 1 });
      return ctx.input.ask({ step2: elicit({ message: 'Your colour?', requestedSchema: z.object({ colour: z.string() }) }) }, { name: first.name });
    }
    const second = ctx.input.accepted('step2', z.object({ colour: z.string() }));
    if (!second) return ctx.input.ask({ step2: elicit({ message: 'Your colour?', requestedSchema: z.object({ colour: z.string() }) }) }, carried);
    return { name: carried.name, colour: second.colour };
  },
});

/** Asks the client's model when it can, the user otherwise. */
const askAnyTool = defineTool({
  name: 'ask_any',
  version: '1.0.0',
  title: 'Ask any',
  description: "Asks the client's model when it can, the user otherwise, and answers with what it was told.",
  access: 'read',
  scopes: ['tools:read'],
  inputSchema: z.object({}),
  outputSchema: z.object({ asked: z.string() }),
  handler(_input, ctx) {
    const capital = ctx.input.response('capital');
    if (capital.kind === 'sampling') {
      const content = capital.result.content;
      const block = Array.isArray(content) ? content[0] : content;
      return { asked: block?.type === 'text' ? block.text : '' };
    }
    const name = ctx.input.accepted('name', nameSchema);
    if (name) return { asked: name.name };
    if (ctx.input.canAsk('sampling')) {
      return ctx.input.ask({ capital: sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Capital of France?' } }], maxTokens: 50 }) });
    }
    return ctx.input.ask({ name: elicit({ message: 'Your name?', requestedSchema: nameSchema }) });
  },
});

const contextPrompt = definePrompt({
  name: 'with_context',
  version: '1.0.0',
  title: 'With context',
  description: 'Asks the user for context, then writes the prompt with it.',
  scopes: ['prompts:read'],
  arguments: z.object({}),
  get(_args, ctx) {
    const answer = ctx.input.accepted('context', z.object({ context: z.string() }));
    if (!answer) return ctx.input.ask({ context: elicit({ message: 'What context?', requestedSchema: z.object({ context: z.string() }) }) });
    return { messages: [{ role: 'user', content: { type: 'text', text: `Context: ${answer.context}` } }] };
  },
});

const tools = [confirmTool, regionTool, twoStepTool, askAnyTool];

/** One round of a request driven by hand, as a client that keeps the input_required answer. */
async function round(client: Client, method: 'tools/call' | 'prompts/get', params: Record<string, unknown>): Promise<CallToolResult | GetPromptResult | InputRequiredResult> {
  return (await client.request({ method, params }, { allowInputRequired: true } as never)) as CallToolResult | InputRequiredResult;
}

const accept = (content: Record<string, unknown>) => ({ action: 'accept', content });

describe('a handler that asks the client (ctx.input)', () => {
  it('asks the user, and a real client answers and retries: two rounds, each audited', async () => {
    harness = await startHarness({ tools, prompts: [], resources: [], confirm: CONFIRM_YES });
    const result = await harness.call(confirmTool.name);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toEqual({ confirmed: true });
    const records = await harness.auditRecords();
    expect(records.map((record) => [record.tool, record.outcome, record.errorCode])).toEqual([
      [confirmTool.name, 'input_required', null],
      [confirmTool.name, 'ok', null],
    ]);
  });

  it("declines a form the test client does not know (its answer is for confirmations), and the handler goes on", async () => {
    harness = await startHarness({ tools, prompts: [], resources: [], confirm: CONFIRM_YES });
    const result = await harness.call(regionTool.name);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toEqual({ action: 'decline', region: null });
    expect((await harness.auditRecords()).map((record) => record.outcome)).toEqual(['input_required', 'ok']);
  });

  it('carries its state between rounds, and only for the caller and the tool it was given to', async () => {
    harness = await startHarness({ tools, prompts: [], resources: [] });
    const client = await harness.connectAs({ tenantId: 'acme', subject: 'alice' }, { confirm: CONFIRM_YES, manual: true });
    const first = (await round(client, 'tools/call', { name: twoStepTool.name, arguments: {} })) as InputRequiredResult;
    expect(Object.keys(first.inputRequests ?? {})).toEqual(['step1']);
    const second = (await round(client, 'tools/call', { name: twoStepTool.name, arguments: {}, inputResponses: { step1: accept({ name: 'Ada' }) } })) as InputRequiredResult;
    expect(isInputRequiredResult(second)).toBe(true);
    expect(Object.keys(second.inputRequests ?? {})).toEqual(['step2']);
    const state = second.requestState!;
    const done = (await round(client, 'tools/call', { name: twoStepTool.name, arguments: {}, inputResponses: { step2: accept({ colour: 'green' }) }, requestState: state })) as CallToolResult;
    expect(done.structuredContent).toEqual({ name: 'Ada', colour: 'green' });

    // Altered, or foreign to this caller or tenant: a JSON-RPC error before the call runs.
    const mac = state.lastIndexOf('.') + 1;
    const altered = `${state.slice(0, mac)}${state[mac] === 'A' ? 'B' : 'A'}${state.slice(mac + 1)}`;
    const attempts: Array<[Client, string]> = [
      [client, altered],
      [client, 'not a state'],
      [await harness.connectAs({ tenantId: 'acme', subject: 'mallory' }, { confirm: CONFIRM_YES, manual: true }), state],
      [await harness.connectAs({ tenantId: 'globex', subject: 'alice' }, { confirm: CONFIRM_YES, manual: true }), state],
    ];
    for (const [who, requestState] of attempts) {
      const refused = round(who, 'tools/call', { name: twoStepTool.name, arguments: {}, inputResponses: { step2: accept({ colour: 'red' }) }, requestState });
      await expect(refused).rejects.toBeInstanceOf(ProtocolError);
      await expect(refused).rejects.toMatchObject({ code: -32602 });
    }
    // The caller's own state, brought to another tool: refused by the pipeline, and audited.
    const moved = (await round(client, 'tools/call', { name: confirmTool.name, arguments: {}, inputResponses: { confirm: accept({ confirm: true }) }, requestState: state })) as CallToolResult;
    expect(textOf(moved)).toMatch(/^\[invalid_request_state\]/);
    const records = await harness.auditRecords();
    expect(records.at(-1)).toMatchObject({ tool: confirmTool.name, outcome: 'invalid', errorCode: 'invalid_request_state' });
  });

  it('asks only what the client can answer', async () => {
    harness = await startHarness({ tools, prompts: [], resources: [] });
    const sampler = await harness.connectAs({}, { manual: true, capabilities: { sampling: {} } });
    const asked = (await round(sampler, 'tools/call', { name: askAnyTool.name, arguments: {} })) as InputRequiredResult;
    expect(Object.values(asked.inputRequests ?? {}).map((question) => question.method)).toEqual(['sampling/createMessage']);
    // A client that declared nothing cannot be asked: the model reads why.
    const bare = await harness.connectAs({}, { manual: true });
    const refused = (await round(bare, 'tools/call', { name: askAnyTool.name, arguments: {} })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^\[input_unavailable\]/);
  });

  it('asks a 2025-era client on a connection the server keeps (stdio) with a request of its own, and cannot ask one over HTTP', async () => {
    harness = await startHarness({ tools, prompts: [], resources: [] });
    // What serveOverStdio does: one server for the connection's whole life.
    const server = harness.app.createServer(harness.principal);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'legacy-desktop', version: '1.0.0' }, { capabilities: { sampling: {} } });
    let asked = '';
    client.setRequestHandler('sampling/createMessage', async (request) => {
      const content = request.params.messages[0]?.content;
      asked = content && !Array.isArray(content) && content.type === 'text' ? content.text : '';
      return { role: 'assistant', content: { type: 'text', text: 'Paris' }, model: 'test-model', stopReason: 'endTurn' };
    });
    await client.connect(clientSide);
    try {
      const result = (await client.callTool({ name: askAnyTool.name, arguments: {} })) as CallToolResult;
      expect(asked).toBe('Capital of France?');
      expect(result.structuredContent).toEqual({ asked: 'Paris' });
    } finally {
      await client.close();
      await server.close();
    }
    const overHttp = await harness.connectAs({}, { era: 'legacy', confirm: CONFIRM_YES });
    expect(textOf((await overHttp.callTool({ name: confirmTool.name, arguments: {} })) as CallToolResult)).toMatch(/^\[input_unavailable\]/);
  });

  it('works for prompts too', async () => {
    harness = await startHarness({ tools: [], prompts: [contextPrompt], resources: [] });
    const client = await harness.connectAs({}, { confirm: CONFIRM_YES, manual: true });
    const question = await round(client, 'prompts/get', { name: contextPrompt.name, arguments: {} });
    expect(isInputRequiredResult(question)).toBe(true);
    const prompt = (await round(client, 'prompts/get', { name: contextPrompt.name, arguments: {}, inputResponses: { context: accept({ context: 'renewals' }) } })) as GetPromptResult;
    expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Context: renewals' });
  });
});
