/**
 * The rest of the tool surface, seen by a real SDK Client: progress while a call runs (only when the
 * client asked), log messages to the client (redacted, at the levels the server and the client
 * allow) and content blocks beside a structured result.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { LoggingMessageNotification, Progress } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { audio, defineTool, embeddedResource, image, resourceLink, withContent } from '../src/tool-model/define-tool.js';
import { startHarness, textOf, type Harness } from './support/harness.js';
import { ONE_PIXEL_PNG, report } from './support/probe-tools.js';

const SECRET = 'sk-live-0123456789abcdef0123';
const LOG_LEVEL_KEY = 'io.modelcontextprotocol/logLevel';

describe('progress, client messages and content blocks', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  /** Every progress and message notification a client receives, whatever the request. */
  const listen = (client: Client) => {
    const seen = { progress: [] as unknown[], messages: [] as LoggingMessageNotification['params'][] };
    client.setNotificationHandler('notifications/progress', (notification) => void seen.progress.push(notification.params));
    client.setNotificationHandler('notifications/message', (notification) => void seen.messages.push(notification.params));
    return seen;
  };

  it.each(['modern', 'legacy'] as const)('sends progress to a client that asked for it, in order (%s era)', async (era) => {
    harness = await startHarness({ tools: [report], era });
    const progress: Progress[] = [];
    const result = await harness.client.callTool({ name: report.name, arguments: { steps: 3 } }, { onprogress: (each) => void progress.push(each) });
    expect(result.isError).toBeFalsy();
    expect(progress).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
  });

  it.each(['modern', 'legacy'] as const)('sends no progress to a client that did not ask (%s era)', async (era) => {
    harness = await startHarness({ tools: [report], era });
    const client = await harness.connectAs({}, { era });
    const seen = listen(client);
    const result = await client.callTool({ name: report.name, arguments: { steps: 3 } });
    expect(result.isError).toBeFalsy();
    expect(seen.progress).toEqual([]);
  });

  it('declares logging, and sends messages at or above the level the request asks for, redacted (2026-07-28)', async () => {
    harness = await startHarness({ tools: [report] });
    expect(harness.client.getServerCapabilities()?.logging).toBeDefined();
    const seen = listen(harness.client);
    await harness.client.callTool({ name: report.name, arguments: { steps: 0, secret: SECRET }, _meta: { [LOG_LEVEL_KEY]: 'debug' } });
    // debug is below CLIENT_LOG_LEVEL (default info): the server's floor holds whatever the client asks.
    expect(seen.messages.map((message) => message.level)).toEqual(['info', 'warning']);
    expect(seen.messages.every((message) => message.logger === report.name)).toBe(true);
    expect(JSON.stringify(seen.messages)).not.toContain(SECRET);
    expect(seen.messages[0]!.data).toMatchObject({ apiKey: '[redacted]', rows: 3 });

    seen.messages.length = 0;
    await harness.client.callTool({ name: report.name, arguments: { steps: 0 }, _meta: { [LOG_LEVEL_KEY]: 'warning' } });
    expect(seen.messages.map((message) => message.level)).toEqual(['warning']);

    // In this era a request that names no level gets no messages.
    seen.messages.length = 0;
    await harness.client.callTool({ name: report.name, arguments: { steps: 0 } });
    expect(seen.messages).toEqual([]);
  });

  it('lowers and raises the floor with CLIENT_LOG_LEVEL', async () => {
    harness = await startHarness({ tools: [report], env: { CLIENT_LOG_LEVEL: 'debug' } });
    const seen = listen(harness.client);
    await harness.client.callTool({ name: report.name, arguments: { steps: 0 }, _meta: { [LOG_LEVEL_KEY]: 'debug' } });
    expect(seen.messages.map((message) => message.level)).toEqual(['debug', 'info', 'warning']);
    await harness.close();

    harness = await startHarness({ tools: [report], env: { CLIENT_LOG_LEVEL: 'error' } });
    const quiet = listen(harness.client);
    await harness.client.callTool({ name: report.name, arguments: { steps: 0 }, _meta: { [LOG_LEVEL_KEY]: 'debug' } });
    expect(quiet.messages).toEqual([]);
  });

  it('2025 era over stateless HTTP: logging/setLevel does not outlive its request, CLIENT_LOG_LEVEL applies', async () => {
    harness = await startHarness({ tools: [report], era: 'legacy' });
    const seen = listen(harness.client);
    await harness.client.setLoggingLevel('error');
    await harness.client.callTool({ name: report.name, arguments: { steps: 0, secret: SECRET } });
    expect(seen.messages.map((message) => message.level)).toEqual(['info', 'warning']);
    expect(JSON.stringify(seen.messages)).not.toContain(SECRET);
  });

  it('answers the structured result with the blocks the handler added, in order', async () => {
    harness = await startHarness({ tools: [report] });
    const result = await harness.call(report.name, { steps: 1, note: 'plain note' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ steps: 1 });
    expect(result.content).toEqual([
      { type: 'text', text: JSON.stringify({ steps: 1 }) },
      { type: 'image', data: ONE_PIXEL_PNG.toString('base64'), mimeType: 'image/png' },
      { type: 'resource_link', uri: 'https://reports.example.com/r/1', name: 'report-1.pdf', mimeType: 'application/pdf' },
      { type: 'resource', resource: { uri: 'note://report/1', mimeType: 'text/plain', text: 'plain note' } },
    ]);
  });

  it('redacts embedded text resources like text blocks (REDACT_TOOL_OUTPUT)', async () => {
    harness = await startHarness({ tools: [report], env: { REDACT_TOOL_OUTPUT: 'true' } });
    const result = await harness.call(report.name, { steps: 0, note: `the key is ${SECRET}` });
    expect(JSON.stringify(result.content)).not.toContain(SECRET);
    expect(result.content[3]).toMatchObject({ type: 'resource', resource: { uri: 'note://report/1' } });
  });

  it('refuses to build a block that is not what it says, and answers invalid_output for a hand-made bad block', async () => {
    expect(() => image(ONE_PIXEL_PNG, 'text/plain')).toThrow(/image/);
    expect(() => audio('not base64!', 'audio/wav')).toThrow(/base64/);
    expect(() => resourceLink({ uri: 'no scheme', name: 'x' })).toThrow(/URI/);
    expect(() => embeddedResource({ uri: 'note://1', text: 'x' }, { priority: 2 })).toThrow(/priority/);

    const handMade = defineTool({
      name: 'probe.hand_made_block',
      version: '1.0.0',
      title: 'Returns a bad block',
      description: 'Returns an image block without its data.',
      access: 'read',
      scopes: ['probe:read'],
      inputSchema: z.object({}).strict(),
      outputSchema: z.object({ ok: z.boolean() }),
      handler: () => withContent({ ok: true }, [{ type: 'image', mimeType: 'image/png' } as never]),
    });
    harness = await startHarness({ tools: [handMade] });
    const result = await harness.call(handMade.name);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^\[invalid_output\]/);
  });
});
