import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/phases/diagnosis/diagnosis.js';
import { assessWorkload, groupEvidence, runVariables, testStatus, verifiedDocuments } from '../../../src/phases/verification.js';
import { DEFAULT_FIX_ENDPOINTS } from '../../fixtures/reports/sample-results.js';
import { recordedRun, REFERENCE_CONTRACT } from '../../support/recorded-runs.js';

const contract = REFERENCE_CONTRACT;

const INJECTED = { minSuccessRate: 1, failureType: 'UnsupportedDocumentType' };

describe('verification of runs recorded from a real server', () => {
  it("reads every result through the contract, and expects in the stores what the succeeded workflows' documents produce", () => {
    for (const scenario of ['local-activities-retried', 'activities-retried'] as const) {
      const run = recordedRun(scenario);
      const documents = verifiedDocuments(run, contract);
      expect(documents.map((document) => document.ended)).toEqual(['succeeded', 'succeeded']);
      expect(documents.every((document) => typeof document.vars.documentUuid === 'string')).toBe(true);
      const chunks = run.outcomes.reduce((total, outcome) => total + outcome.document.expected.chunks, 0);
      expect(runVariables(run, '2c', documents)).toMatchObject({ runId: run.runId, completed: 2, failed: 0, uploaded: run.uploaded, expectedChunks: chunks });
      const assessment = assessWorkload(run, { minSuccessRate: 1 }, contract);
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
    expect(assessWorkload(recordedRun('local-activities-retried'), { minSuccessRate: 1 }, contract).metrics.activityRetries).toBe(2);
    const regular = assessWorkload(recordedRun('activities-retried'), { minSuccessRate: 1 }, contract).metrics;
    expect(regular.activityRetries).toBe(4);
    expect(regular.stateTransitions).toBe(
      recordedRun('activities-retried').outcomes.reduce((total, outcome) => total + (outcome.history?.stateTransitions ?? 0), 0),
    );
    expect(regular.endToEndSamplesMs).toHaveLength(2);
    expect(regular.endToEndSamplesMs.every((ms) => ms > 0)).toBe(true);
  });

  it('a workflow that fails as the test planned passes; the same run expected to complete fails with one grouped cause', () => {
    const run = recordedRun('unsupported-document');
    expect(testStatus(assessWorkload(run, INJECTED, contract).checks)).toEqual({ status: 'passed' });
    const unexpected = assessWorkload(run, { minSuccessRate: 1 }, contract);
    expect(testStatus(unexpected.checks).status).toBe('failed');
    const [group, ...others] = groupEvidence(run.outcomes, { minSuccessRate: 1 }, contract);
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

  it("a result that lacks the contract's fields, or differs from its document, fails with the returned value as evidence", () => {
    const run = recordedRun('activities-retried');
    const [first, second] = run.outcomes;
    const shapeless = { ...second, read: { ...second.read!, documentUuid: undefined, missingFields: ['documentUuid'] } };
    const miscounted = { ...first, read: { ...first.read!, counts: { chunks: 999, entities: first.read!.counts.entities } } };
    const assessment = assessWorkload({ ...run, outcomes: [miscounted, shapeless] }, { minSuccessRate: 1 }, contract);
    expect(assessment.checks.filter((check) => !check.passed).map((check) => [check.name, check.actual])).toEqual([
      ["workflow results hold the contract's fields", '1 without'],
      ['workflow results match their documents (chunks, entities)', '1 mismatches'],
    ]);
    expect(assessment.evidence.map((evidence) => evidence.summary)).toEqual([
      "the workflow's result lacks the contract's result fields: documentUuid",
      'workflow result differs from its document',
    ]);
  });

  it('a completed execution whose result says it failed is a failure, and a compensated one where the contract reads failures from results', () => {
    const run = recordedRun('activities-retried');
    const returned = run.outcomes.map((outcome) => ({
      ...outcome,
      read: { ...outcome.read!, succeeded: false, failureReason: 'write_to_databases_activity: neo4j down' },
    }));
    const failedRun = { ...run, outcomes: returned };
    expect(verifiedDocuments(failedRun, contract).map((document) => document.ended)).toEqual(['failed', 'failed']);
    const [group] = groupEvidence(returned, { minSuccessRate: 1 }, contract);
    expect(group).toMatchObject({ summary: 'the workflow returned a failure: write_to_databases_activity: neo4j down', workflows: 2 });
    const sagaByResult = { ...contract, saga: { failedAs: 'result' as const } };
    expect(testStatus(assessWorkload(failedRun, { minSuccessRate: 1, compensated: true }, sagaByResult).checks)).toEqual({ status: 'passed' });
    // The reference contract's saga fails the execution: a returned failure is not its compensation.
    expect(testStatus(assessWorkload(failedRun, { minSuccessRate: 1, compensated: true }, contract).checks).status).toBe('failed');
  });

  it('a workflow whose history could not be read says why', () => {
    const run = recordedRun('activities-retried');
    const [first, second] = run.outcomes;
    const missing = {
      ...second,
      clientError: undefined,
      history: { ...second.history!, status: 'missing' as const, fetchError: 'UNAVAILABLE: tcp connect error' },
    };
    const [group] = groupEvidence([first, missing], { minSuccessRate: 1 }, contract);
    expect(group).toMatchObject({
      summary: 'no history found for a submitted workflow',
      lines: ['the history could not be read: UNAVAILABLE: tcp connect error'],
      workflows: 1,
    });
  });
});
