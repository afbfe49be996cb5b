import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/phases/diagnosis/diagnosis.js';
import { assessWorkload, expectedRunCounts, groupEvidence, testStatus, verifyRunCounts } from '../../../src/phases/verification.js';
import { DEFAULT_FIX_ENDPOINTS } from '../../fixtures/reports/sample-results.js';
import { recordedRun } from '../../support/recorded-runs.js';

const INJECTED = { minSuccessRate: 1, failureType: 'UnsupportedDocumentType' };

describe('verification of runs recorded from a real server', () => {
  it("expects in every store what the completed workflows' documents produce, and finds exactly that", () => {
    for (const scenario of ['local-activities-retried', 'activities-retried'] as const) {
      const run = recordedRun(scenario);
      expect(expectedRunCounts(run)).toEqual(run.counts);
      const assessment = assessWorkload(run, { minSuccessRate: 1 });
      expect(testStatus(assessment.checks)).toEqual({ status: 'passed' });
      expect(assessment.evidence).toEqual([]);
      expect(assessment.metrics).toMatchObject({
        workflowsPlanned: 2,
        workflowsStarted: 2,
        workflowsCompleted: 2,
        workflowsFailed: 0,
        workflowsNotRun: 0,
        successRate: 1,
      });
    }
  });

  it('counts retries from the histories: one local retry per workflow, two regular ones per workflow', () => {
    expect(assessWorkload(recordedRun('local-activities-retried'), { minSuccessRate: 1 }).metrics.activityRetries).toBe(2);
    const regular = assessWorkload(recordedRun('activities-retried'), { minSuccessRate: 1 }).metrics;
    expect(regular.activityRetries).toBe(4);
    expect(regular.stateTransitions).toBe(
      recordedRun('activities-retried').outcomes.reduce((total, outcome) => total + (outcome.history?.stateTransitions ?? 0), 0),
    );
    expect(regular.endToEndSamplesMs).toHaveLength(2);
    expect(regular.endToEndSamplesMs.every((ms) => ms > 0)).toBe(true);
  });

  it('a workflow that fails as the test planned passes; the same run expected to complete fails with one grouped cause', () => {
    const run = recordedRun('unsupported-document');
    expect(testStatus(assessWorkload(run, INJECTED).checks)).toEqual({ status: 'passed' });
    const unexpected = assessWorkload(run, { minSuccessRate: 1 });
    expect(testStatus(unexpected.checks).status).toBe('failed');
    const [group, ...others] = groupEvidence(run.outcomes, { minSuccessRate: 1 });
    expect(others).toEqual([]);
    expect(group).toMatchObject({ source: 'history', workflows: 2, summary: 'workflow failed: Activity task failed [activity parse_document]' });
    expect(group.lines).toContain(
      'activity parse_document attempt 1 (failed): unsupported document type: Content-Type "application/x-apex-unsupported" for unsupported-00000.apexbin; supported: txt, md, html, pdf [UnsupportedDocumentType]',
    );
    expect(
      diagnose(
        {
          setupEvidence: [],
          tests: [
            {
              name: 't',
              description: '',
              status: 'failed',
              runId: run.runId,
              checks: unexpected.checks,
              evidence: unexpected.evidence,
              metrics: unexpected.metrics,
            },
          ],
        },
        DEFAULT_FIX_ENDPOINTS,
      ).map((diagnosis) => diagnosis.signature),
    ).toEqual(['missing-extension-or-content-type']);
  });

  it('a store that lost a write, or could not be counted, fails its own check: never a pass, never a zero', () => {
    const run = recordedRun('activities-retried');
    const expected = expectedRunCounts(run);
    const { points, ...withoutQdrant } = run.counts;
    const checks = verifyRunCounts(expected, { ...withoutQdrant, cacheKeys: expected.cacheKeys - 1 });
    expect(checks.filter((check) => !check.passed)).toEqual([
      { name: 'qdrant: points', expected: String(points), actual: 'not counted', passed: false },
      { name: 'redis: document keys', expected: '2', actual: '1', passed: false },
    ]);
    const assessment = assessWorkload({ ...run, counts: { ...run.counts, cacheKeys: 1 } }, { minSuccessRate: 1 });
    expect(assessment.evidence).toEqual([
      { source: 'verification', summary: `store counts differ for run ${run.runId}`, lines: ['redis: document keys: expected 2, found 1'], workflows: 0 },
    ]);
  });

  it('a workflow whose history could not be read says why', () => {
    const run = recordedRun('activities-retried');
    const [first, second] = run.outcomes;
    const missing = {
      ...second,
      clientError: undefined,
      history: { ...second.history!, status: 'missing' as const, fetchError: 'UNAVAILABLE: tcp connect error' },
    };
    const [group] = groupEvidence([first, missing], { minSuccessRate: 1 });
    expect(group).toMatchObject({
      summary: 'no history found for a submitted workflow',
      lines: ['the history could not be read: UNAVAILABLE: tcp connect error'],
      workflows: 1,
    });
  });
});
