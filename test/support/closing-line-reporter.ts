import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest/node';

/** Prints the plain closing line CI reads ("N passed, N failed, N skipped"), alone on its line. */
export default class ClosingLineReporter implements Reporter {
  onFinished(files: readonly RunnerTestFile[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: RunnerTask): void => {
      if (task.type === 'suite') {
        task.tasks.forEach(visit);
        return;
      }
      if (task.result?.state === 'pass') counts.passed += 1;
      else if (task.result?.state === 'fail') counts.failed += 1;
      else counts.skipped += 1;
    };
    files.forEach(visit);
    const failedFiles = files.filter((file) => file.result?.state === 'fail' && file.tasks.length === 0).length;
    console.log(`\ntests: ${counts.passed} passed, ${counts.failed + failedFiles} failed, ${counts.skipped} skipped`);
  }
}
