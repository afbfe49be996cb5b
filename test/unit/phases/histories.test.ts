import { describe, expect, it } from 'vitest';
import { fetchHistorySummaries, summariseHistory, type HistorySource } from '../../../src/phases/histories.js';
import { readRecording, recordedHistory } from '../../support/recorded-runs.js';

const summaries = (scenario: Parameters<typeof readRecording>[0]) =>
  readRecording(scenario).workflows.map((workflow) => summariseHistory(workflow.workflowId, recordedHistory(workflow), workflow.stateTransitions));

describe('summariseHistory on histories recorded from a real server', () => {
  it('reads local activities from their markers: name, attempt, and the retry of a local store write', () => {
    for (const summary of summaries('local-activities-retried')) {
      expect(summary).toMatchObject({ status: 'completed', events: 18, localActivities: 7, activityRetries: 1, workflowTaskFailures: [], failure: [] });
      expect(summary.activities.map((activity) => [activity.name, activity.attempt, activity.outcome, activity.local ?? false])).toEqual([
        ['download_from_s3', 1, 'completed', false],
        ['parse_document', 1, 'completed', true],
        ['extract_entities', 1, 'completed', true],
        ['generate_embeddings', 1, 'completed', true],
        ['write_postgres', 1, 'completed', true],
        ['write_neo4j', 1, 'completed', true],
        ['write_qdrant', 1, 'completed', true],
        ['write_redis', 2, 'completed', true],
      ]);
      expect(summary.startedAt).toBeLessThanOrEqual(summary.firstWorkflowTaskStartedAt!);
      expect(summary.firstWorkflowTaskStartedAt).toBeLessThan(summary.closedAt!);
    }
  });

  it('reads regular activities: the final attempt of a retried write and the failure of the attempt before it', () => {
    for (const summary of summaries('activities-retried')) {
      expect(summary).toMatchObject({ status: 'completed', localActivities: 0, activityRetries: 2 });
      expect(summary.activities).toHaveLength(8);
      expect(summary.activities.every((activity) => activity.outcome === 'completed' && !activity.local)).toBe(true);
      expect(summary.activities.find((activity) => activity.name === 'write_postgres')).toEqual({
        name: 'write_postgres',
        attempt: 3,
        outcome: 'completed',
        failure: 'injected transient failure in write_postgres, attempt 2 of 2 planned [InjectedTransientFailure]',
      });
      expect(summary.stateTransitions).toBeGreaterThan(0);
    }
  });

  it('reads a failed workflow: the close failure with its cause, and the activity that failed', () => {
    const [summary] = summaries('unsupported-document');
    expect(summary.status).toBe('failed');
    expect(summary.failure).toEqual([
      'Activity task failed [activity parse_document]',
      'unsupported document type: Content-Type "application/x-apex-unsupported" for unsupported-00000.apexbin; supported: txt, md, html, pdf [UnsupportedDocumentType]',
    ]);
    expect(summary.activities.map((activity) => [activity.name, activity.outcome])).toEqual([
      ['download_from_s3', 'completed'],
      ['parse_document', 'failed'],
    ]);
    expect(summary.activityRetries).toBe(0);
  });
});

describe('fetchHistorySummaries', () => {
  it('keeps why a history could not be read, with its gRPC status', async () => {
    const [workflow] = readRecording('activities-retried').workflows;
    const notFound = Object.assign(new Error('5 NOT_FOUND: workflow not found'), {
      code: 5,
      details: 'workflow execution not found for workflow ID "gone"',
      metadata: {},
    });
    const source: HistorySource = {
      workflow: {
        getHandle: (workflowId) => ({
          fetchHistory: async () => (workflowId === 'gone' ? Promise.reject(notFound) : recordedHistory(workflow)),
          describe: async () => ({ raw: { workflowExecutionInfo: { stateTransitionCount: workflow.stateTransitions } } }),
        }),
      },
    };
    const fetched = await fetchHistorySummaries(source, [workflow.workflowId, 'gone']);
    expect(fetched.get(workflow.workflowId)).toMatchObject({ status: 'completed', stateTransitions: workflow.stateTransitions, activityRetries: 2 });
    expect(fetched.get('gone')).toMatchObject({ status: 'missing', fetchError: 'NOT_FOUND: workflow execution not found for workflow ID "gone"' });
  });
});
