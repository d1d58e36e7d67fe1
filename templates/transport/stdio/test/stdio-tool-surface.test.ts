/**
 * Progress, client messages and content blocks over stdio, where one McpServer serves the whole
 * connection: the real process, a real SDK Client. Over stdio the 2025 era's logging/setLevel
 * lasts for the connection, unlike over stateless HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { LoggingMessageNotification, Progress } from '@modelcontextprotocol/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ONE_PIXEL_PNG, report } from './support/probe-tools.js';
import { testCredential } from './support/test-credential.js';

const SECRET = 'sk-live-0123456789abcdef0123';

describe('the tool surface over stdio', () => {
  let dir: string;
  let client: Client | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-stdio-surface-'));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = async (era: 'modern' | 'legacy') => {
    const credential = await testCredential(dir, 'globex', [...report.scopes]);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'test/support/stdio-probe-main.ts'],
      cwd: process.cwd(),
      env: { ...credential.env, AUDIT_LOG: join(dir, 'audit.jsonl'), LOG_LEVEL: 'warn' },
      stderr: 'pipe',
    });
    client = new Client({ name: 'stdio-surface-test', version: '1.0.0' }, era === 'modern' ? { versionNegotiation: { mode: 'auto' } } : {});
    await client.connect(transport);
    const messages: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler('notifications/message', (notification) => void messages.push(notification.params));
    return { client, messages };
  };

  it.each(['modern', 'legacy'] as const)('sends progress to a client that asked, and the result with its image (%s era)', async (era) => {
    const { client } = await connect(era);
    const progress: Progress[] = [];
    const result = await client.callTool({ name: report.name, arguments: { steps: 2 } }, { onprogress: (each) => void progress.push(each) });
    expect(progress.map((each) => each.progress)).toEqual([1, 2]);
    expect(result.structuredContent).toEqual({ steps: 2 });
    expect(result.content).toContainEqual({ type: 'image', data: ONE_PIXEL_PNG.toString('base64'), mimeType: 'image/png' });
  });

  it('2025 era: logging/setLevel holds for the connection, and messages are redacted', async () => {
    const { client, messages } = await connect('legacy');
    await client.callTool({ name: report.name, arguments: { steps: 0, secret: SECRET } });
    expect(messages.map((message) => message.level)).toEqual(['info', 'warning']);
    expect(JSON.stringify(messages)).not.toContain(SECRET);

    messages.length = 0;
    await client.setLoggingLevel('warning');
    await client.callTool({ name: report.name, arguments: { steps: 0 } });
    await client.callTool({ name: report.name, arguments: { steps: 0 } });
    expect(messages.map((message) => message.level)).toEqual(['warning', 'warning']);
  });

  it('2026-07-28: the level is per request', async () => {
    const { client, messages } = await connect('modern');
    await client.callTool({ name: report.name, arguments: { steps: 0, secret: SECRET }, _meta: { 'io.modelcontextprotocol/logLevel': 'info' } });
    expect(messages.map((message) => message.level)).toEqual(['info', 'warning']);
    expect(JSON.stringify(messages)).not.toContain(SECRET);
    messages.length = 0;
    await client.callTool({ name: report.name, arguments: { steps: 0 } });
    expect(messages).toEqual([]);
  });
});
