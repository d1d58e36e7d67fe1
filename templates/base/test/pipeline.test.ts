import { afterEach, describe, expect, it } from 'vitest';

import { startHarness, textOf, type Harness } from './support/harness.js';
import { badOutput, createSlowTool, echo, leaky, notFound, probeTools } from './support/probe-tools.js';
import { HANG_MS } from './support/wait.js';

describe('tool-call pipeline', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('runs the handler with the caller as context', async () => {
    harness = await startHarness({ tools: probeTools, tenant: 'globex', subject: 'bob' });
    const result = await harness.call(echo.name, { message: 'hi' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ message: 'hi', tenant: 'globex', subject: 'bob' });
    expect(JSON.parse(textOf(result))).toEqual(result.structuredContent);
  });

  it('refuses a caller without the tool\'s scopes, naming the missing scope', async () => {
    harness = await startHarness({ tools: probeTools, scopes: ['probe:read'] });
    const result = await harness.call(leaky.name, {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^\[forbidden\].*probe:write/);
  });

  it('answers invalid arguments with an isError result, without running the handler', async () => {
    harness = await startHarness({ tools: probeTools });
    const result = await harness.call(echo.name, { message: 'x'.repeat(101) });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^\[invalid_arguments\] Invalid arguments for tool probe\.echo: message:/);
  });

  it('never leaks an internal error\'s message or stack', async () => {
    harness = await startHarness({ tools: probeTools });
    const result = await harness.call(leaky.name, {});
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(/^\[internal_error\] probe\.leaky failed unexpectedly\. Reference: [0-9a-f-]{36}\.$/);
    expect(text).not.toContain('hunter2');
    const [record] = await harness.auditRecords();
    expect(text).toContain(record?.requestId);
  });

  it('shows a ToolError\'s message to the model', async () => {
    harness = await startHarness({ tools: probeTools });
    const result = await harness.call(notFound.name, { id: 'cus_404' });
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: '[not_found] No record cus_404.' }] });
  });

  it('turns a result that breaks the output schema into an error', async () => {
    harness = await startHarness({ tools: probeTools });
    const result = await harness.call(badOutput.name, {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^\[invalid_output\]/);
  });

  it('lets calls in flight finish at shutdown and refuses new ones', async () => {
    const slow = createSlowTool();
    harness = await startHarness({ tools: [...probeTools, slow.tool] });
    const inFlight = harness.call(slow.tool.name, {});
    await slow.running;
    const drained = harness.app.pipeline.drain(HANG_MS); // true once the call finishes
    const refused = await harness.call(echo.name, { message: 'late' });
    expect(textOf(refused)).toMatch(/^\[unavailable\]/);
    slow.release();
    expect((await inFlight).structuredContent).toEqual({ finished: true });
    expect(await drained).toBe(true);
  });

  it('serves 2025-era clients (initialize) through the same pipeline', async () => {
    harness = await startHarness({ tools: probeTools, era: 'legacy', tenant: 'globex' });
    const result = await harness.call(echo.name, { message: 'old client' });
    expect(result.structuredContent).toEqual({ message: 'old client', tenant: 'globex', subject: 'tester' });
  });
});
