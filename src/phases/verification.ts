import type { TemplateValue } from '../contracts/render.js';
import { fieldAt } from '../contracts/result.js';
import type { WorkerContract } from '../contracts/schema.js';
import { distribution, ratePerSecond } from '../results/stats.js';
import type { Check, FailureEvidence, TestMetrics, TestResult, TimelinePoint } from '../results/run-result.js';
import type { VerifiedDocument } from './store-verification.js';
import type { WorkflowOutcome, WorkloadRun } from './workload.js';

export interface Expectation {
  minSuccessRate: number;
  /** Every workflow must fail its execution with this failure type (a deliberately unsupported document). */
  failureType?: string;
  /** The test makes a store write fail in every workflow (the saga test): each must end compensated, as the contract's `saga` says. */
  compensated?: boolean;
}

/** How a workflow ended as the contract reads it: a completed execution whose result says "failed" failed. */
export function endedAs(outcome: WorkflowOutcome): VerifiedDocument['ended'] {
  const status = outcome.history?.status;
  if (status === 'completed') return outcome.read?.succeeded ? 'succeeded' : 'failed';
  if (status === undefined || status === 'missing' || status === 'running') return 'not-run';
  return 'failed';
}

/** Whether the workflow ended as a compensated failure: a failed execution of the saga's type, or a returned failure. */
function compensated(outcome: WorkflowOutcome, saga: WorkerContract['saga']): boolean {
  if (!saga) return false;
  if (saga.failedAs === 'result') return outcome.history?.status === 'completed' && outcome.read?.succeeded === false;
  return outcome.history?.status === 'failed' && outcome.history.failure.some((line) => line.includes(`[${saga.failureType}]`));
}

function asExpected(outcome: WorkflowOutcome, expectation: Expectation, saga: WorkerContract['saga']): boolean {
  if (expectation.failureType)
    return outcome.history?.status === 'failed' && outcome.history.failure.some((line) => line.includes(`[${expectation.failureType}]`));
  return expectation.compensated ? compensated(outcome, saga) : endedAs(outcome) === 'succeeded';
}

/** The documents of a run with the variables their store checks render with, the uuid included when it is known. */
export function verifiedDocuments(run: WorkloadRun, contract: WorkerContract): VerifiedDocument[] {
  const fromActivity = contract.result.documentUuidFromActivity;
  return run.outcomes.map((outcome) => {
    const activityUuid = fromActivity ? fieldAt(outcome.history?.activityResults[fromActivity.activity], fromActivity.field) : undefined;
    const documentUuid = outcome.read?.documentUuid ?? (typeof activityUuid === 'string' ? activityUuid : undefined);
    const vars: Record<string, TemplateValue> = {
      ...outcome.vars,
      expectedChunks: outcome.document.expected.chunks,
      expectedEntities: outcome.document.expected.entities,
    };
    if (documentUuid !== undefined) vars.documentUuid = documentUuid;
    return { workflowId: outcome.workflowId, ended: endedAs(outcome), vars };
  });
}

/** A run's totals as the variables of the contract's run-scope checks and cleanups. */
export function runVariables(run: WorkloadRun, phase: string, documents: readonly VerifiedDocument[]): Record<string, TemplateValue> {
  const succeeded = run.outcomes.filter((_, index) => documents[index].ended === 'succeeded');
  return {
    runId: run.runId,
    phase,
    ...run.deliveryVars,
    planned: run.planned,
    completed: succeeded.length,
    failed: documents.filter((document) => document.ended === 'failed').length,
    uploaded: run.uploaded,
    expectedChunks: succeeded.reduce((total, outcome) => total + outcome.document.expected.chunks, 0),
    expectedEntities: succeeded.reduce((total, outcome) => total + outcome.document.expected.entities, 0),
  };
}

function timeline(outcomes: readonly WorkflowOutcome[], origin: number): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  for (const outcome of outcomes) {
    const closedAt = outcome.history?.closedAt;
    if (closedAt === undefined) continue;
    const second = Math.max(0, Math.floor((closedAt - origin) / 1000));
    while (points.length <= second) points.push({ second: points.length, completed: 0, failed: 0 });
    if (endedAs(outcome) === 'succeeded') points[second].completed++;
    else points[second].failed++;
  }
  return points;
}

/** Failures grouped by their first line, with the full chain, the failed activities and an example workflow. */
export function groupEvidence(outcomes: readonly WorkflowOutcome[], expectation: Expectation, contract: WorkerContract): FailureEvidence[] {
  const groups = new Map<string, FailureEvidence>();
  const add = (key: string, evidence: Omit<FailureEvidence, 'workflows'>) => {
    const group = groups.get(key) ?? { ...evidence, workflows: 0 };
    group.workflows++;
    groups.set(key, group);
  };
  for (const outcome of outcomes) {
    if (asExpected(outcome, expectation, contract.saga)) continue;
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
      const returned =
        outcome.read && !outcome.read.succeeded
          ? `the workflow returned a failure: ${outcome.read.failureReason ?? JSON.stringify(outcome.result)}`
          : undefined;
      const summary =
        history.status === 'completed'
          ? (returned ??
            `completed, but the test expected ${expectation.failureType ? `a failure of type ${expectation.failureType}` : 'a compensated failure'}`)
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

export function workloadMetrics(run: WorkloadRun, expectation: Expectation, saga?: WorkerContract['saga']): TestMetrics {
  const { outcomes } = run;
  const histories = outcomes.flatMap((outcome) => (outcome.history && outcome.history.status !== 'missing' ? [outcome.history] : []));
  const closed = outcomes.filter((outcome) => outcome.history?.closedAt !== undefined);
  const ok = outcomes.filter((outcome) => asExpected(outcome, expectation, saga));
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
    expectedFailures: expectation.compensated || expectation.failureType ? run.planned : 0,
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
 * The checks every workload test makes from results and histories: every planned workflow ran and ended as
 * expected, each result holds the contract's fields, and (when the contract says counts are exact) each result
 * matches its document. What landed in the stores is verified beside this, through the contract's queries.
 */
export function assessWorkload(run: WorkloadRun, expectation: Expectation, contract: WorkerContract): Assessment {
  const metrics = workloadMetrics(run, expectation, contract.saga);
  const ok = Math.round(metrics.successRate * run.planned);
  const malformed = run.outcomes.filter((outcome) => (outcome.read?.missingFields.length ?? 0) > 0);
  const checks: Check[] = [
    { name: 'workflows planned', expected: '> 0', actual: String(run.planned), passed: run.planned > 0 },
    {
      name: expectation.failureType
        ? `workflows failed with ${expectation.failureType}`
        : expectation.compensated
          ? 'workflows failed and compensated'
          : 'workflows succeeded (as their results say)',
      expected: `≥ ${Math.ceil(expectation.minSuccessRate * run.planned)}/${run.planned}`,
      actual: `${ok}/${run.planned}`,
      passed: run.planned > 0 && metrics.successRate >= expectation.minSuccessRate,
    },
    { name: 'workflows that never ran or never closed', expected: '0', actual: String(metrics.workflowsNotRun), passed: metrics.workflowsNotRun === 0 },
    {
      name: "workflow results hold the contract's fields",
      expected: '0 without',
      actual: `${malformed.length} without`,
      passed: malformed.length === 0,
    },
  ];
  const evidence = groupEvidence(run.outcomes, expectation, contract);
  if (malformed.length > 0) {
    const fields = [...new Set(malformed.flatMap((outcome) => outcome.read?.missingFields ?? []))];
    evidence.push({
      source: 'verification',
      summary: `the workflow's result lacks the contract's result fields: ${fields.join(', ')}`,
      lines: malformed.slice(0, 3).map((outcome) => `${outcome.workflowId}: returned ${JSON.stringify(outcome.result)}`),
      workflows: malformed.length,
      exampleWorkflowId: malformed[0].workflowId,
    });
  }
  if (contract.result.exactCounts) {
    const mismatched = run.outcomes.filter(
      (outcome) =>
        outcome.read?.succeeded &&
        (outcome.read.counts.chunks !== outcome.document.expected.chunks || outcome.read.counts.entities !== outcome.document.expected.entities),
    );
    checks.push({
      name: 'workflow results match their documents (chunks, entities)',
      expected: '0 mismatches',
      actual: `${mismatched.length} mismatches`,
      passed: mismatched.length === 0,
    });
    for (const outcome of mismatched.slice(0, 3)) {
      evidence.push({
        source: 'verification',
        summary: 'workflow result differs from its document',
        lines: [`${outcome.workflowId}: result ${JSON.stringify(outcome.result)}; expected ${JSON.stringify(outcome.document.expected)}`],
        workflows: 1,
        exampleWorkflowId: outcome.workflowId,
      });
    }
  }
  return { checks, evidence, metrics };
}

/** A test passes only when it ran workflows and every check held. */
export function testStatus(checks: readonly Check[]): Pick<TestResult, 'status' | 'reason'> {
  const failed = checks.filter((check) => !check.passed);
  if (failed.length === 0) return { status: 'passed' };
  return { status: 'failed', reason: failed.map((check) => `${check.name}: expected ${check.expected}, got ${check.actual}`).join('; ') };
}
