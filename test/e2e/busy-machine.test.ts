/**
 * A user's CI runner is often a busy 2-core machine. A generated postgres repo (HTTP, API keys,
 * the embedded PGlite database) is installed and built, then its own `npm test` runs while a
 * CPU burner keeps every core busy: it must pass, since its tests wait for signals, never for
 * a time budget, and start their servers from one migrated database per run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { generate, npmRun, SLOW, SERVED } from './generated-repo.js';

/** Only a hang takes this long: the suite takes a few minutes quiet, longer on busy cores. */
const LOADED_SUITE_MS = 1_800_000;

/**
 * One busy loop per core. It ends by itself if this test process dies without killing it (its
 * parent changes) and after an hour whatever happens, so a crash never leaves a core burning.
 */
const BURNER = `
const parent = process.ppid;
const until = Date.now() + 3_600_000;
for (;;) {
  for (let i = 0; i < 5e6; i++);
  if (process.ppid !== parent || Date.now() > until) process.exit(0);
}`;

let root: { path: string; remove: () => Promise<void> };
let dir: string;
const burners: ChildProcess[] = [];

function stopBurners(): void {
  for (const burner of burners) if (burner.exitCode === null && burner.signalCode === null) burner.kill('SIGKILL');
}

/** User plus system CPU seconds a process has used (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // After "(comm) ": state is field 3, utime 14 and stime 15 of stat(5), so indexes 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

beforeAll(async () => {
  root = await tempDir('cms-e2e-busy-');
  dir = join(root.path, 'busy-pg');
  await generate(dir, '--backend', 'postgres', '--transport', 'http', '--auth', 'api-key');
  await npmRun(dir, 'build');
}, SLOW);

afterAll(async () => {
  stopBurners();
  await root?.remove();
}, SERVED);

describe('on a machine whose cores are all busy', () => {
  it("a generated postgres repo's own tests pass", async () => {
    const cores = availableParallelism();
    for (let i = 0; i < cores; i++) burners.push(spawn(process.execPath, ['-e', BURNER], { stdio: 'ignore' }));
    const started = Date.now();
    let out: string;
    try {
      // No DATABASE_URL: the embedded PGlite database, the slow path this is about.
      out = await npmRun(dir, 'test');
    } finally {
      // The burners ran the whole suite long: each is alive and has burned CPU until now.
      for (const burner of burners) expect(burner.exitCode, 'a burner stopped early').toBeNull();
      const burned = burners.map((burner) => cpuSeconds(burner.pid!));
      stopBurners();
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `generated suite under ${cores} burners: ${seconds.toFixed(0)} s; burners used ${burned.map((s) => s.toFixed(0)).join(' + ')} CPU s; load average ${loadavg()[0]!.toFixed(1)}`,
      );
      for (const cpu of burned) expect(cpu).toBeGreaterThan(0);
    }
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/\d+ failed/);
    // On PGlite the two tests that need a PostgreSQL server (rotating its login's password, the
    // server dropping a connection mid-transaction) do not run; backend-postgres.test.ts runs them
    // against a real one. Nothing else may be left out.
    expect(out).not.toMatch(/Tests .*\b([3-9]|\d{2,}) skipped/);
    expect(out).toMatch(/credential-rotation-postgres\.test\.ts \(1 test \| 1 skipped\)/);
    expect(out).toMatch(/postgres-backend\.test\.ts \(\d+ tests \| 1 skipped\)/);
    // The tests that start their own server processes ran (REDIS_URL is set for the suite).
    expect(out).toMatch(/rate-limit-redis\.test\.ts/);
    expect(out).toMatch(/secrets\.test\.ts/);
  }, LOADED_SUITE_MS);
});
