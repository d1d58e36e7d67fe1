/**
 * Readiness (what /readyz answers) and what a failing audit sink does to calls.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { startHarness, textOf, type Harness } from './support/harness.js';
import { echo, probeTools } from './support/probe-tools.js';
import { HANG_MS } from './support/wait.js';

describe('readiness', () => {
  let harness: Harness | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-readiness-test-'));
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** An audit "file" that is a directory: opening it fails, on every OS. */
  function unwritableAuditLog(): string {
    const path = join(dir, 'audit.jsonl');
    mkdirSync(path);
    return path;
  }

  it('is ready when every backend and the audit sink are', async () => {
    harness = await startHarness({ tools: probeTools });
    const report = await harness.app.readiness();
    expect(report.ready).toBe(true);
    expect(Object.values(report.backends).every(Boolean)).toBe(true);
    expect(report).toMatchObject({ dependencies: { audit: true }, degraded: [] });
  });

  it('counts a backend check that hangs as down, within READINESS_TIMEOUT_MS', async () => {
    harness = await startHarness({ tools: probeTools, env: { READINESS_TIMEOUT_MS: '200' } });
    vi.spyOn(harness.app.backends, 'readiness').mockReturnValue(new Promise(() => {}));
    // The timeout's own clock, faked: exact on any machine, however busy.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let settled = false;
      const pending = harness.app.readiness().finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(199);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toBe(true);
      expect(await pending).toMatchObject({ ready: false, backends: { backends: false } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails closed when the audit sink cannot write: unready, and calls refused', async () => {
    harness = await startHarness({ tools: probeTools, env: { AUDIT_LOG: unwritableAuditLog() } });
    await vi.waitFor(() => expect(harness!.app.audit.healthy()).toBe(false), { timeout: HANG_MS });
    expect(await harness.app.readiness()).toMatchObject({ ready: false, dependencies: { audit: false } });
    const result = await harness.call(echo.name, { message: 'not without a record' });
    expect(textOf(result)).toBe('[audit_unavailable] The audit trail cannot be written right now, so no call can run. Retry later.');
    expect((await harness.app.metrics.render()).body).toMatch(/^mcp_audit_write_failures_total [1-9]/m);
  });

  it('with AUDIT_FAILURE_MODE=open, answers calls while the sink is down (and stays unready)', async () => {
    harness = await startHarness({ tools: probeTools, env: { AUDIT_LOG: unwritableAuditLog(), AUDIT_FAILURE_MODE: 'open' } });
    await vi.waitFor(() => expect(harness!.app.audit.healthy()).toBe(false), { timeout: HANG_MS });
    expect((await harness.call(echo.name, { message: 'answered anyway' })).isError).toBeFalsy();
    expect((await harness.app.readiness()).ready).toBe(false);
  });

  it('withholds a result whose record could not be written', async () => {
    harness = await startHarness({ tools: probeTools });
    vi.spyOn(harness.app.audit, 'write').mockResolvedValue(false);
    const result = await harness.call(echo.name, { message: 'ran, but unrecorded' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^\[audit_unavailable\] probe\.echo could not be recorded in the audit trail, so its result is withheld \(it may have run\)\./);
  });
});
