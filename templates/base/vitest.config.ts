import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Servers are started for real (in-process or as a child process), and a busy CI runner may
    // take many seconds for that: these limits only catch a hang, they are not a speed budget.
    // Tests wait for signals (a log line, a status), each bounded by test/support/wait.ts.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Tests start servers and write temp files; isolated processes keep them independent.
    pool: 'forks',
    // Once, before any test process starts: what every test shares (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
  },
});
