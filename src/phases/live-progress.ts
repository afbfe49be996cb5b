import type { Progress } from '../ui/progress.js';
import { statusIcon } from '../reports/format.js';
import type { Clock } from './load-generator.js';
import type { LiveProgress } from './phase-context.js';

/** A live line per test (closed, failed, workflows/s) on a terminal, and one line per finished test. */
export function createLiveProgress(progress: Progress, clock: Clock, phase: string): LiveProgress {
  let test = '';
  let planned: number | undefined;
  let closed = 0;
  let failed = 0;
  let startedAt = 0;
  const render = () => {
    const elapsed = (clock.now() - startedAt) / 1000;
    const perSecond = elapsed > 0 ? (closed - failed) / elapsed : 0;
    progress.transient(
      `${phase} ${test}: ${closed}${planned ? `/${planned}` : ''} closed, ${failed} failed, ${perSecond.toFixed(1)} wf/s, ${elapsed.toFixed(0)}s`,
    );
  };
  return {
    testStarted(name, count) {
      test = name;
      planned = count;
      closed = 0;
      failed = 0;
      startedAt = clock.now();
      render();
    },
    workflowClosed(ok) {
      closed++;
      if (!ok) failed++;
      render();
    },
    testFinished(result) {
      const m = result.metrics;
      const line = `${statusIcon[result.status]} ${phase} ${result.name}: ${result.status}${result.status === 'skipped' ? ` (${result.reason})` : `, ${m.workflowsCompleted}/${m.workflowsPlanned} completed, ${m.throughputWorkflowsPerSecond.toFixed(1)} wf/s`}`;
      if (result.status === 'failed') progress.warn(`${line}: ${result.reason ?? ''}`);
      else progress.done(line);
    },
    note: (message) => progress.step(message),
  };
}
