import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest/node';

/**
 * Prints the plain closing line CI reads ("N passed, N failed, N skipped"), alone on its line.
 * In CI a skipped test fails the run: the skip gates throw there, so a skip means a test never ran (a failed hook, a stray `.skip`).
 */
export default class ClosingLineReporter implements Reporter {
  onFinished(files: readonly RunnerTestFile[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const skipped: string[] = [];
    const visit = (task: RunnerTask, path: string): void => {
      const name = `${path} > ${task.name}`;
      if (task.type === 'suite') {
        task.tasks.forEach((child) => visit(child, name));
        return;
      }
      if (task.result?.state === 'pass') counts.passed += 1;
      else if (task.result?.state === 'fail') counts.failed += 1;
      else {
        counts.skipped += 1;
        skipped.push(name);
      }
    };
    files.forEach((file) => file.tasks.forEach((task) => visit(task, file.name)));
    const failedFiles = files.filter((file) => file.result?.state === 'fail' && file.tasks.length === 0).length;
    console.log(`\ntests: ${counts.passed} passed, ${counts.failed + failedFiles} failed, ${counts.skipped} skipped`);
    if (process.env.CI && skipped.length > 0) {
      console.log(`CI runs every test; these did not run:\n${skipped.map((name) => `  - ${name}`).join('\n')}`);
      process.exitCode = 1;
    }
  }
}
