import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Upgrade fixtures are whole generated repos, with test files of their own; the stress
    // tests run on their own (npm run test:stress, vitest.stress.config.ts).
    exclude: ['test/fixtures/**', 'node_modules/**', 'test/stress/**'],
    // End-to-end files install and run real repos; they set their own, longer timeouts.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Each end-to-end file runs a whole generated test suite: two at a time keep two cores
    // busy without starving the servers those suites start.
    maxWorkers: 2,
  },
});
