import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { LoadedStack } from '../../src/config/stack-context.js';
import type { LiveProgress } from '../../src/phases/phase-context.js';
import type { PhaseRunResult } from '../../src/results/run-result.js';
import { LEDGER_FILE, readLedger } from '../../src/phases/run-ledger.js';
import { runPhase, type RunPhaseOptions } from '../../src/phases/runner.js';
import { writeReport } from '../../src/reports/report-store.js';
import { secretValues } from '../../src/config/credentials.js';

export const quietProgress: LiveProgress = { testStarted() {}, workflowClosed() {}, testFinished() {}, note() {} };

export interface PhaseRunForTest {
  result: PhaseRunResult;
  reportDir: string;
  read(file: string): string;
}

/** Runs a phase in-process and writes its reports (and its run ledger, as it goes) to a temporary directory. */
export async function runPhaseForTest(loaded: LoadedStack, options: Omit<RunPhaseOptions, 'loaded' | 'progress'>): Promise<PhaseRunForTest> {
  const reportsRoot = options.reportsRoot ?? mkdtempSync(join(tmpdir(), 'apex-reports-'));
  const result = await runPhase({ loaded, progress: quietProgress, ...options, reportsRoot });
  const { dir } = writeReport(result, reportsRoot, secretValues(loaded.stack.credentials));
  return { result, reportDir: dir, read: (file) => readFileSync(join(dir, file), 'utf8') };
}

/** A test's status with its reason, so a failing assertion shows why. */
export const statuses = (result: PhaseRunResult): Record<string, string> =>
  Object.fromEntries(result.tests.map((test) => [test.name, test.status === 'passed' ? 'passed' : `${test.status}: ${test.reason ?? ''}`]));

/** The Temporal status (RUNNING, TERMINATED…) of every workflow the run in `reportDir` says in its ledger it started. */
export async function startedWorkflowStates(client: Client, reportDir: string): Promise<string[]> {
  const { workloads } = readLedger(join(reportDir, LEDGER_FILE));
  const started = workloads.flatMap((workload) => workload.documents.filter((document) => document.started));
  return Promise.all(started.map(async (document) => (await client.workflow.getHandle(document.workflowId).describe()).status.name));
}
