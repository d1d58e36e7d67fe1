import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Servers are started for real (in-process or as a child process), and a busy CI runner may
    // take many seconds for that: these limits only catch a hang, they are not a speed budget.
    // Tests wait for signals (a log line, a status), each bounded by test/support/wait.ts.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Tests start servers and write temp files in child processes, apart from the runner.
    pool: 'forks',
    // Once, before any test process starts: what every test shares (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.isolated.test.ts'],
          // Test files share a process and its loaded modules instead of each importing the app
          // again: half the CPU of `npm test`. Every test builds its own app
          // (test/support/harness.ts) and spies only on that app's objects, so none leaks state.
          isolate: false,
        },
      },
      {
        extends: true,
        // A test that replaces a module (vi.mock), stubs globals or env, or keeps module-level
        // state runs alone: name it `*.isolated.test.ts`.
        test: { name: 'isolated', include: ['test/**/*.isolated.test.ts'] },
      },
    ],
  },
});
