import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Upgrade fixtures are whole generated repos, with test files of their own; the stress
    // tests run on their own (npm run test:stress, vitest.stress.config.ts).
    exclude: ['test/fixtures/**', 'node_modules/**', 'test/stress/**'],
    // Bounds that only catch hangs: a unit test that runs a repo's own tsx or renders every
    // variant takes 20 s and more on a 2-core runner with both cores busy. End-to-end files
    // install and run real repos; they set their own, longer timeouts.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each end-to-end file runs a whole generated test suite: two at a time keep two cores
    // busy without starving the servers those suites start.
    maxWorkers: 2,
  },
});
