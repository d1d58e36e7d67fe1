import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Servers are started for real (in-process or as a child process): give them room,
    // but keep the whole suite well under a minute.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests start servers and write temp files; isolated processes keep them independent.
    pool: 'forks',
    // Once, before any test process starts: what every test shares (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
  },
});
