/**
 * A handler's ctx.signal: aborted when its client cancels, and for every handler still running
 * when shutdown stops waiting (pipeline/handler-signals.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { defineTool } from '../src/tool-model/define-tool.js';
import { HandlerSignals } from '../src/pipeline/handler-signals.js';
import { startHarness, type Harness } from './support/harness.js';

describe('handler signals', () => {
  it("follow their request's cancel, with its reason", () => {
    const signals = new HandlerSignals();
    const request = new AbortController();
    const { signal } = signals.begin(request.signal);
    expect(signal.aborted).toBe(false);
    request.abort(new Error('client cancelled'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('client cancelled');
    // A request already cancelled gives an aborted signal at once.
    expect(signals.begin(request.signal).signal.aborted).toBe(true);
  });

  it('all abort at shutdown, running ones and any begun later, but not finished ones', () => {
    const signals = new HandlerSignals();
    const finished = signals.begin(new AbortController().signal);
    finished.end();
    const running = signals.begin(new AbortController().signal);
    signals.abortAll(new Error('server shutting down'));
    expect(running.signal.aborted).toBe(true);
    expect(finished.signal.aborted).toBe(false);
    const late = signals.begin(new AbortController().signal);
    expect((late.signal.reason as Error).message).toBe('server shutting down');
  });

  describe('in the pipeline', () => {
    let harness: Harness | undefined;
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    it('a handler still running when the drain times out sees its signal aborted', async () => {
      let started: () => void = () => {};
      const running = new Promise<void>((resolve) => (started = resolve));
      const waiter = defineTool({
        name: 'probe.wait_for_abort',
        version: '1.0.0',
        title: 'Wait for abort',
        description: 'Runs until its signal is aborted.',
        access: 'read',
        scopes: ['probe:read'],
        inputSchema: z.object({}).strict(),
        outputSchema: z.object({ reason: z.string() }),
        handler: async (_input, ctx) => {
          started();
          const reason = await new Promise<unknown>((resolve) => ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason), { once: true }));
          return { reason: (reason as Error).message };
        },
      });
      harness = await startHarness({ tools: [waiter], scopes: ['probe:read'] });
      const call = harness.call(waiter.name, {});
      await running;
      expect(await harness.app.pipeline.drain(50)).toBe(false);
      expect((await call).structuredContent).toEqual({ reason: 'server shutting down' });
    });
  });
});
