/**
 * Progress and client messages through the real HTTP server (guards, compression, the SDK's
 * stateless handler): each reaches the client on the call's own SSE stream while the call is still
 * running, in both protocol eras. A client that hangs up mid-call aborts its handler.
 */
import { request } from 'node:http';

import type { LoggingMessageNotification } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { defineTool } from '../src/tool-model/define-tool.js';
import { MCP_HEADERS, startHttpServer, type TestHttpServer } from './support/http-server.js';
import { echo, report } from './support/probe-tools.js';

/** Only catches a hang: servers start for real, on CI runners whose cores may all be busy. */
const SLOW_MACHINE_MS = 300_000;

/** Reports progress, then waits until the test has seen it: a server that held notifications back until the result would hang here. */
function gatedTool() {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const tool = defineTool({
    name: 'probe.gated',
    version: '1.0.0',
    title: 'Waits for its progress to be seen',
    description: 'Reports progress, then waits until the client has received it.',
    access: 'read',
    scopes: ['probe:read'],
    inputSchema: z.object({}).strict(),
    outputSchema: z.object({ done: z.boolean() }),
    handler: async (_input, ctx) => {
      await ctx.progress(1, 2, 'half way');
      await gate;
      await ctx.progress(2, 2);
      return { done: true };
    },
  });
  return { tool, open };
}

/** Runs until its signal is aborted; says when it started and when it saw the abort. */
function abortWatcher() {
  let started: () => void = () => {};
  let aborted: () => void = () => {};
  const running = new Promise<void>((resolve) => (started = resolve));
  const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
  const tool = defineTool({
    name: 'probe.until_aborted',
    version: '1.0.0',
    title: 'Runs until aborted',
    description: 'Runs until its client goes away.',
    access: 'read',
    scopes: ['probe:read'],
    inputSchema: z.object({}).strict(),
    outputSchema: z.object({ done: z.boolean() }),
    handler: async (_input, ctx) => {
      started();
      await new Promise<void>((resolve) => (ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve(), { once: true })));
      aborted();
      return { done: false };
    },
  });
  return { tool, running, abortSeen };
}

describe('progress and client messages over HTTP', { timeout: SLOW_MACHINE_MS }, () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  }, SLOW_MACHINE_MS);

  it.each(['modern', 'legacy'] as const)('streams progress while the call runs (%s era)', async (era) => {
    const gated = gatedTool();
    server = await startHttpServer({ tools: [gated.tool], scopes: ['probe:read'] });
    const client = await server.connect({ era });
    const seen: number[] = [];
    const result = await client.callTool(
      { name: gated.tool.name, arguments: {} },
      {
        onprogress: (progress) => {
          seen.push(progress.progress);
          gated.open();
        },
      },
    );
    expect(result.structuredContent).toEqual({ done: true });
    expect(seen).toEqual([1, 2]);
  });

  it('aborts the handler when a 2025-era client hangs up mid-call, and serves the next call', async () => {
    const watcher = abortWatcher();
    server = await startHttpServer({ tools: [watcher.tool, echo], scopes: ['probe:read'] });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: watcher.tool.name, arguments: {} } });
    const call = request({
      host: server.url.hostname,
      port: server.url.port,
      path: server.url.pathname,
      method: 'POST',
      headers: { ...MCP_HEADERS, 'Mcp-Protocol-Version': '2025-11-25', ...server.authHeaders, 'Content-Length': String(Buffer.byteLength(body)) },
    });
    call.on('error', () => {}); // the hang-up below
    call.end(body);
    await watcher.running;
    call.destroy();
    // A server that did not notice the hang-up would leave the handler running: the test's timeout catches that.
    await watcher.abortSeen;
    const client = await server.connect({ era: 'legacy' });
    expect((await client.callTool({ name: echo.name, arguments: { message: 'still here' } })).structuredContent).toMatchObject({ message: 'still here' });
  });

  it('sends redacted messages at the level of the request (2026-07-28)', async () => {
    server = await startHttpServer({ tools: [report], scopes: ['probe:read'] });
    const client = await server.connect();
    const messages: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler('notifications/message', (notification) => void messages.push(notification.params));
    const secret = 'sk-live-0123456789abcdef0123';
    await client.callTool({ name: report.name, arguments: { steps: 0, secret }, _meta: { 'io.modelcontextprotocol/logLevel': 'notice' } });
    expect(messages.map((message) => message.level)).toEqual(['warning']);
    await client.callTool({ name: report.name, arguments: { steps: 0, secret }, _meta: { 'io.modelcontextprotocol/logLevel': 'info' } });
    expect(messages.map((message) => message.level)).toEqual(['warning', 'info', 'warning']);
    expect(JSON.stringify(messages)).not.toContain(secret);
  });
});
