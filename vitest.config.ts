import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: availableParallelism(),
    reporters: ['default', './test/support/closing-line-reporter.ts'],
    projects: [
      // Pure logic, all of it before any file that uses the real servers: one worker thread per core (importing the
      // modules is most of their time).
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          pool: 'threads',
          sequence: { groupOrder: 0 },
        },
      },
      // Integration and e2e tests share real servers: their files run one after another, in one child process (each
      // file still gets its own modules). Only a single fork holds them to one at a time: the root's maxWorkers sizes
      // the pool for every project, and a project's fileParallelism does not.
      {
        extends: true,
        test: {
          name: 'live',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
