/**
 * Resource reads and prompt gets go through the same pipeline as tool calls: the tenant comes from
 * the credential only (no URI variable can select another), scopes and the tenant's rollout
 * decide what exists for a caller, rate limits and redaction apply, and every read and get is
 * audited with its outcome.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { startHarness, type Harness } from './support/harness.js';
import { briefing, leakyContext, leakyNotes, PIXEL_PNG, probePrompts, probeResources, tenantNote } from './support/probe-resources.js';
import { probeTools } from './support/probe-tools.js';

const start = (options: Parameters<typeof startHarness>[0] = {}) =>
  startHarness({ tools: probeTools, resources: probeResources, prompts: probePrompts, ...options });

describe('resources and prompts, governed like tools', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("reads as the credential's tenant, whatever tenant the URI names, and audits the read", async () => {
    harness = await start({ tenant: 'acme' });
    const uri = 'probe://tenants/globex/notes/n-1';
    const { contents } = await harness.client.readResource({ uri });
    expect(contents).toEqual([{ uri, mimeType: 'application/json', text: expect.any(String) }]);
    expect(JSON.parse((contents[0] as { text: string }).text)).toEqual({ ranAs: 'acme', askedFor: 'globex', id: 'n-1', uri });
    const [record] = await harness.auditRecords();
    expect(record).toMatchObject({ kind: 'resource', tool: tenantNote.name, uri, tenant: 'acme', outcome: 'ok', arguments: { tenant: 'globex', id: 'n-1' } });
  });

  it('answers a business error, invalid URI variables and a missing scope as protocol errors, each audited', async () => {
    harness = await start();
    // -32602: the protocol's code for a missing resource (the message's [not_found] says which).
    await expect(harness.client.readResource({ uri: 'probe://tenants/acme/notes/missing' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/\[not_found\] No note missing/),
    });
    await expect(harness.client.readResource({ uri: 'probe://tenants/acme/notes/NOT_VALID' })).rejects.toThrow(/\[invalid_arguments\] Invalid URI variables for resource probe\.tenant_note: id:/);
    const reader = await harness.connectAs({ scopes: ['probe:write'] });
    await expect(reader.readResource({ uri: 'probe://tenants/acme/notes/n-1' })).rejects.toThrow(/\[forbidden\].*probe:read/);
    const records = await harness.auditRecords();
    expect(records.map((record) => [record.kind, record.outcome, record.errorCode])).toEqual([
      ['resource', 'error', 'not_found'],
      ['resource', 'invalid', 'invalid_arguments'],
      ['resource', 'denied', 'forbidden'],
    ]);
  });

  it("lists only what the tenant's rollout enables; the rest does not exist for it", async () => {
    const rollout = { default: 'all', tenants: { globex: [leakyNotes.name] } };
    harness = await start({ tenant: 'globex', env: { MCP_TOOL_ROLLOUT: JSON.stringify(rollout) } });
    expect((await harness.client.listResources()).resources.map((r) => r.name)).toEqual([leakyNotes.name]);
    expect((await harness.client.listResourceTemplates()).resourceTemplates).toEqual([]);
    expect((await harness.client.listPrompts()).prompts).toEqual([]);
    await expect(harness.client.getPrompt({ name: briefing.name, arguments: { account: 'a' } })).rejects.toThrow();
    await expect(harness.client.complete({ ref: { type: 'ref/prompt', name: briefing.name }, argument: { name: 'account', value: '' } })).rejects.toThrow(/Nothing to complete/);
    const acme = await harness.connectAs({ tenantId: 'acme' });
    expect((await acme.listPrompts()).prompts.map((p) => p.name)).toEqual([briefing.name]);
  });

  it("rate-limits reads by the resource's own limit, audited as rate_limited", async () => {
    harness = await start();
    for (let i = 0; i < 2; i++) await harness.client.readResource({ uri: leakyNotes.uri! });
    await expect(harness.client.readResource({ uri: leakyNotes.uri! })).rejects.toThrow(/\[rate_limited\]/);
    expect((await harness.auditRecords()).map((record) => record.outcome)).toEqual(['ok', 'ok', 'rate_limited']);
  });

  it('with REDACT_TOOL_OUTPUT, redacts what a resource returns before the model reads it', async () => {
    harness = await start({ env: { REDACT_TOOL_OUTPUT: 'true' } });
    const { contents } = await harness.client.readResource({ uri: leakyNotes.uri! });
    const text = (contents[0] as { text: string }).text;
    expect(text).not.toContain('hunter2');
    expect(text).toContain('connect with');
  });

  it('with REDACT_TOOL_OUTPUT, redacts the text of a resource a prompt embeds; its image and text messages reach the client as returned', async () => {
    harness = await start({ prompts: [...probePrompts, leakyContext], env: { REDACT_TOOL_OUTPUT: 'true' } });
    const { messages } = await harness.client.getPrompt({ name: leakyContext.name });
    const [embedded, image, text] = messages.map((message) => message.content);
    expect(embedded).toMatchObject({ type: 'resource', resource: { uri: 'probe://notes/leaky', mimeType: 'text/plain', text: expect.stringContaining('connect with') } });
    expect(JSON.stringify(embedded)).not.toContain('hunter2');
    expect(image).toEqual({ type: 'image', data: PIXEL_PNG, mimeType: 'image/png' });
    expect(text).toEqual({ type: 'text', text: 'Summarize the notes above.' });
  });

  it('gets a prompt with its arguments validated and filled in, for the caller\'s tenant, and audits it', async () => {
    harness = await start({ tenant: 'acme' });
    const listed = (await harness.client.listPrompts()).prompts.find((p) => p.name === briefing.name);
    expect(listed?.arguments).toEqual([
      { name: 'account', description: 'The account', required: true },
      { name: 'tone', required: false },
    ]);
    const { messages } = await harness.client.getPrompt({ name: briefing.name, arguments: { account: 'Initech', tone: 'brief' } });
    expect(messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Brief Initech for tenant acme (brief)' } }]);
    await expect(harness.client.getPrompt({ name: briefing.name, arguments: {} })).rejects.toThrow(/\[invalid_arguments\] Invalid arguments for prompt probe\.briefing: account:/);
    const records = await harness.auditRecords();
    expect(records.map((record) => [record.kind, record.tool, record.outcome])).toEqual([
      ['prompt', briefing.name, 'ok'],
      ['prompt', briefing.name, 'invalid'],
    ]);
  });

  it("completes a prompt's argument and a template's variable with the caller's tenant's values, audited", async () => {
    harness = await start({ tenant: 'acme' });
    const prompt = { type: 'ref/prompt' as const, name: briefing.name };
    expect((await harness.client.complete({ ref: prompt, argument: { name: 'account', value: 'init' } })).completion).toEqual({
      values: ['acme-initech', 'acme-initrode'],
      total: 2,
      hasMore: false,
    });
    // An argument without a completer: no suggestions.
    expect((await harness.client.complete({ ref: prompt, argument: { name: 'tone', value: 'b' } })).completion.values).toEqual([]);
    // The URI being typed names globex: the suggestions are still acme's.
    const template = { type: 'ref/resource' as const, uri: tenantNote.uriTemplate! };
    const ids = await harness.client.complete({ ref: template, argument: { name: 'id', value: 'acme-note' }, context: { arguments: { tenant: 'globex' } } });
    expect(ids.completion.values).toEqual(['acme-note-1', 'acme-note-2']);
    await expect(harness.client.complete({ ref: prompt, argument: { name: 'nope', value: '' } })).rejects.toThrow(/\[invalid_arguments\] Invalid completion for probe\.briefing: argument: "nope" is not one of account, tone/);
    await expect(harness.client.complete({ ref: { type: 'ref/prompt', name: 'no_such_prompt' }, argument: { name: 'x', value: '' } })).rejects.toThrow(/Nothing to complete for prompt no_such_prompt/);
    const records = await harness.auditRecords();
    expect(records.map((record) => [record.kind, record.tool, record.outcome])).toEqual([
      ['completion', briefing.name, 'ok'],
      ['completion', briefing.name, 'ok'],
      ['completion', tenantNote.name, 'ok'],
      ['completion', briefing.name, 'invalid'],
    ]);
  });

  it('declares resources and prompts without list_changed: the lists change only on restart or SIGHUP', async () => {
    harness = await start();
    expect(harness.client.getServerCapabilities()).toMatchObject({
      tools: { listChanged: false },
      resources: { listChanged: false },
      prompts: { listChanged: false },
      completions: {},
    });
  });
});
