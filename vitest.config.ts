import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration and e2e tests share real servers: run files one at a time.
    fileParallelism: false,
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
