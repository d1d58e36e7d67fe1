import { defineConfig } from 'vitest/config';

/**
 * `npm run test:stress`: the protocol's conformance suite, the MCP Inspector, hostile input and
 * sustained load against real generated servers, and hostile input to the generator itself.
 * Every server listens on 127.0.0.1; every run is bounded in count and time.
 */
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    globalSetup: ['test/stress/support/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // One file at a time: load and fuzz runs measure a server, and must not fight each other
    // for the two cores they were sized for.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
