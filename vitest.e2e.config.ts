import { defineConfig } from 'vitest/config';

// End-to-end lifecycle and reliability suites: real processes, so they run one file at a time.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
