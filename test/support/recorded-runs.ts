import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { configSchema } from '../../src/config/schema.js';
import { readResult } from '../../src/contracts/result.js';
import { summariseHistory } from '../../src/phases/histories.js';
import type { IngestionResult } from '../../src/results/ingestion-contract.js';
import type { WorkloadRun } from '../../src/phases/workload.js';

/** Workflow runs recorded from a real Temporal server by test/fixtures/histories/record-histories.ts. */
export type RecordedScenario = 'local-activities-retried' | 'activities-retried' | 'unsupported-document';

interface RecordedWorkflow {
  workflowId: string;
  document: { documentId: string; contentType: string; expected: { chunks: number; entities: number } };
  intendedStart: number;
  submittedAt?: number;
  result?: IngestionResult;
  clientError?: string[];
  stateTransitions: number;
  history: Record<string, unknown>;
}

interface RecordedRun {
  runId: string;
  planned: number;
  uploaded: number;
  firstIntendedStart: number;
  allSubmittedAt: number;
  workflows: RecordedWorkflow[];
}

export const readRecording = (scenario: RecordedScenario): RecordedRun =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'histories', `${scenario}.json`), 'utf8')) as RecordedRun;

export const recordedHistory = (workflow: RecordedWorkflow) => proto.temporal.api.history.v1.History.fromObject(workflow.history);

/** The contract apex's own worker follows, which the recordings were made with. */
export const REFERENCE_CONTRACT = configSchema.parse({}).contract;

/** The workload run as the phase saw it: each outcome with the summary of its recorded history. */
export function recordedRun(scenario: RecordedScenario): WorkloadRun {
  const recording = readRecording(scenario);
  return {
    runId: recording.runId,
    planned: recording.planned,
    uploaded: recording.uploaded,
    deliveryVars: {},
    firstIntendedStart: recording.firstIntendedStart,
    allSubmittedAt: recording.allSubmittedAt,
    outcomes: recording.workflows.map((workflow, index) => ({
      index,
      workflowId: workflow.workflowId,
      document: { ...workflow.document, body: new Uint8Array() },
      vars: { documentName: workflow.document.documentId },
      intendedStart: workflow.intendedStart,
      submittedAt: workflow.submittedAt,
      result: workflow.result,
      read: workflow.result === undefined ? undefined : readResult(REFERENCE_CONTRACT.result, workflow.result),
      clientError: workflow.clientError,
      history: summariseHistory(workflow.workflowId, recordedHistory(workflow), workflow.stateTransitions),
    })),
  };
}
