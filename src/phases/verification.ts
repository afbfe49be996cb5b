import type { RunCounts } from '../results/store-writer.js';
import { distribution, ratePerSecond } from '../results/stats.js';
import type { Check, FailureEvidence, TestMetrics, TestResult, TimelinePoint } from '../results/run-result.js';
import type { WorkflowOutcome, WorkloadRun } from './workload.js';

export interface Expectation {
  /** The test expects every workflow to fail this way (the saga test): its type in the failure chain. */
  failureType?: string;
  minSuccessRate: number;
}

const COUNT_LABELS: Record<keyof RunCounts, string> = {
  documents: 'postgres: documents rows',
  chunks: 'postgres: chunks rows',
  entities: 'postgres: entities rows',
  graphDocuments: 'neo4j: Document nodes',
  mentions: 'neo4j: MENTIONS relationships',
  points: 'qdrant: points',
  cacheKeys: 'redis: document keys',
  objects: 's3: objects under runs/<runId>/',
};

const succeeded = (outcome: WorkflowOutcome, expectation: Expectation): boolean =>
  expectation.failureType
    ? outcome.history?.status === 'failed' && outcome.history.failure.some((line) => line.includes(`[${expectation.failureType}]`))
    : outcome.history?.status === 'completed';

/** What must be in the stores: what the completed workflows' documents produce, and every uploaded object. */
export function expectedRunCounts(run: WorkloadRun): RunCounts {
  const completed = run.outcomes.filter((outcome) => outcome.history?.status === 'completed');
  const chunks = completed.reduce((total, outcome) => total + outcome.document.expected.chunks, 0);
  const entities = completed.reduce((total, outcome) => total + outcome.document.expected.entities, 0);
  return {
    documents: completed.length,
    chunks,
    entities,
    graphDocuments: completed.length,
    mentions: entities,
    points: chunks,
    cacheKeys: completed.length,
    objects: run.uploaded,
  };
}

/** One check per store count: exact, and a count that could not be read is a failure, never a pass. */
export function verifyRunCounts(expected: RunCounts, actual: Partial<RunCounts>): Check[] {
  return (Object.keys(COUNT_LABELS) as (keyof RunCounts)[]).map((key) => ({
    name: COUNT_LABELS[key],
    expected: String(expected[key]),
    actual: actual[key] === undefined ? 'not counted' : String(actual[key]),
    passed: actual[key] === expected[key],
  }));
}

function timeline(outcomes: readonly WorkflowOutcome[], origin: number): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  for (const outcome of outcomes) {
    const closedAt = outcome.history?.closedAt;
    if (closedAt === undefined) continue;
    const second = Math.max(0, Math.floor((closedAt - origin) / 1000));
    while (points.length <= second) points.push({ second: points.length, completed: 0, failed: 0 });
    if (outcome.history?.status === 'completed') points[second].completed++;
    else points[second].failed++;
  }
  return points;
}

/** Failures grouped by their first line, with the full chain, the failed activities and an example workflow. */
export function groupEvidence(outcomes: readonly WorkflowOutcome[], expectation: Expectation): FailureEvidence[] {
  const groups = new Map<string, FailureEvidence>();
  const add = (key: string, evidence: Omit<FailureEvidence, 'workflows'>) => {
    const group = groups.get(key) ?? { ...evidence, workflows: 0 };
    group.workflows++;
    groups.set(key, group);
  };
  for (const outcome of outcomes) {
    if (succeeded(outcome, expectation)) continue;
    const history = outcome.history;
    if (outcome.submitError) {
      add(`submit:${outcome.submitError}`, {
        source: 'client',
        summary: 'the workflow could not be started',
        lines: [outcome.submitError],
        exampleWorkflowId: outcome.workflowId,
      });
    } else if (!history || history.status === 'missing') {
      const lines = [...(history?.fetchError ? [`the history could not be read: ${history.fetchError}`] : []), ...(outcome.clientError ?? [])];
      add('missing', { source: 'client', summary: 'no history found for a submitted workflow', lines, exampleWorkflowId: outcome.workflowId });
    } else if (history.status === 'running') {
      add('running', {
        source: 'history',
        summary: 'the workflow never closed',
        lines: [`${history.events} events; last activities: ${history.activities.map((a) => a.name).join(', ') || 'none'}`],
        exampleWorkflowId: outcome.workflowId,
      });
    } else {
      const activityFailures = history.activities
        .filter((activity) => activity.failure)
        .map((activity) => `activity ${activity.name} attempt ${activity.attempt} (${activity.outcome}): ${activity.failure}`);
      const lines = [...history.failure, ...activityFailures, ...history.workflowTaskFailures.map((line) => `workflow task failed: ${line}`)];
      const summary =
        history.status === 'completed'
          ? `completed, but the test expected a failure of type ${expectation.failureType}`
          : `workflow ${history.status}: ${history.failure[0] ?? history.workflowTaskFailures[0] ?? 'no failure recorded'}`;
      add(summary.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<uuid>').replace(/doc-\d+/g, 'doc-N'), {
        source: 'history',
        summary,
        lines: [...new Set(lines)].slice(0, 12),
        exampleWorkflowId: outcome.workflowId,
      });
    }
  }
  return [...groups.values()].sort((a, b) => b.workflows - a.workflows);
}

export function workloadMetrics(run: WorkloadRun, expectation: Expectation): TestMetrics {
  const { outcomes } = run;
  const histories = outcomes.flatMap((outcome) => (outcome.history && outcome.history.status !== 'missing' ? [outcome.history] : []));
  const closed = outcomes.filter((outcome) => outcome.history?.closedAt !== undefined);
  const ok = outcomes.filter((outcome) => succeeded(outcome, expectation));
  const lastClose = Math.max(run.firstIntendedStart, ...closed.map((outcome) => outcome.history?.closedAt ?? 0));
  const durationMs = lastClose - run.firstIntendedStart;
  const endToEnd = ok.map((outcome) => (outcome.history?.closedAt ?? 0) - outcome.intendedStart);
  const scheduling = ok.flatMap((outcome) =>
    outcome.history?.firstWorkflowTaskStartedAt ? [outcome.history.firstWorkflowTaskStartedAt - outcome.intendedStart] : [],
  );
  const stateTransitions = histories.reduce((total, history) => total + history.stateTransitions, 0);
  return {
    workflowsPlanned: run.planned,
    workflowsStarted: outcomes.filter((outcome) => outcome.submittedAt !== undefined).length,
    workflowsCompleted: outcomes.filter((outcome) => outcome.history?.status === 'completed').length,
    workflowsFailed: closed.filter((outcome) => outcome.history?.status !== 'completed').length,
    workflowsNotRun: run.planned - closed.length,
    successRate: run.planned > 0 ? ok.length / run.planned : 0,
    durationMs,
    throughputWorkflowsPerSecond: ratePerSecond(ok.length, durationMs),
    stateTransitions,
    stateTransitionsPerSecond: ratePerSecond(stateTransitions, durationMs),
    transitionsPerWorkflow: histories.length > 0 ? stateTransitions / histories.length : 0,
    activityRetries: histories.reduce((total, history) => total + history.activityRetries, 0),
    endToEndMs: distribution(endToEnd),
    schedulingMs: distribution(scheduling),
    endToEndSamplesMs: endToEnd,
    schedulingSamplesMs: scheduling,
    timeline: timeline(outcomes, run.firstIntendedStart),
  };
}

export interface Assessment {
  checks: Check[];
  evidence: FailureEvidence[];
  metrics: TestMetrics;
}

/**
 * The checks every workload test makes: every planned workflow ran and ended as expected, each workflow's result
 * matches its document, and every store holds exactly what the completed workflows wrote.
 */
export function assessWorkload(run: WorkloadRun, expectation: Expectation): Assessment {
  const metrics = workloadMetrics(run, expectation);
  const ok = Math.round(metrics.successRate * run.planned);
  const mismatched = run.outcomes.filter(
    (outcome) =>
      outcome.result && (outcome.result.chunks !== outcome.document.expected.chunks || outcome.result.entities !== outcome.document.expected.entities),
  );
  const expected = expectedRunCounts(run);
  metrics.expectedCounts = expected;
  metrics.actualCounts = run.counts;
  const checks: Check[] = [
    { name: 'workflows planned', expected: '> 0', actual: String(run.planned), passed: run.planned > 0 },
    {
      name: expectation.failureType ? `workflows failed with ${expectation.failureType} (compensated)` : 'workflows completed',
      expected: `≥ ${Math.ceil(expectation.minSuccessRate * run.planned)}/${run.planned}`,
      actual: `${ok}/${run.planned}`,
      passed: run.planned > 0 && metrics.successRate >= expectation.minSuccessRate,
    },
    { name: 'workflows that never ran or never closed', expected: '0', actual: String(metrics.workflowsNotRun), passed: metrics.workflowsNotRun === 0 },
    {
      name: 'workflow results match their documents (chunks, entities)',
      expected: '0 mismatches',
      actual: `${mismatched.length} mismatches`,
      passed: mismatched.length === 0,
    },
    ...verifyRunCounts(expected, run.counts),
  ];
  const evidence = [...groupEvidence(run.outcomes, expectation), ...run.countErrors];
  for (const outcome of mismatched.slice(0, 3)) {
    evidence.push({
      source: 'verification',
      summary: 'workflow result differs from its document',
      lines: [`${outcome.workflowId}: result ${JSON.stringify(outcome.result)}; expected ${JSON.stringify(outcome.document.expected)}`],
      workflows: 1,
      exampleWorkflowId: outcome.workflowId,
    });
  }
  const countCheck = checks.filter((check) => !check.passed && Object.values(COUNT_LABELS).includes(check.name));
  if (countCheck.length > 0) {
    evidence.push({
      source: 'verification',
      summary: `store counts differ for run ${run.runId}`,
      lines: countCheck.map((check) => `${check.name}: expected ${check.expected}, found ${check.actual}`),
      workflows: 0,
    });
  }
  return { checks, evidence, metrics };
}

/** A test passes only when it ran workflows and every check held. */
export function testStatus(checks: readonly Check[]): Pick<TestResult, 'status' | 'reason'> {
  const failed = checks.filter((check) => !check.passed);
  if (failed.length === 0) return { status: 'passed' };
  return { status: 'failed', reason: failed.map((check) => `${check.name}: expected ${check.expected}, got ${check.actual}`).join('; ') };
}
