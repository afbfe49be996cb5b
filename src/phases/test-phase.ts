import { join } from 'node:path';
import type { IngestionOptions } from '../results/ingestion-contract.js';
import { generatedEnv, secretValues } from '../config/credentials.js';
import type { LoadedStack } from '../config/stack-context.js';
import { withEphemeralStack } from '../runtime/ephemeral-stack.js';
import { withProjectLock } from '../runtime/project-lock.js';
import { writeReport } from '../reports/report-store.js';
import type { Progress } from '../ui/progress.js';
import { createLiveProgress } from './live-progress.js';
import { systemClock } from './load-generator.js';
import type { PhaseOverrides } from './phase-context.js';
import type { PhaseDefinition } from './phase-definition.js';
import { selectPhases } from './registry.js';
import type { Decision, Interruption, PhaseSummary, RunData } from '../results/run-result.js';
import { runPhase, type RunPhaseOptions } from './runner.js';

export interface TestPhaseOptions {
  /** Loads config and credentials once the phase id is known to be valid; processEnv overrides the environment. */
  load: (processEnv?: NodeJS.ProcessEnv) => LoadedStack;
  /** Run on a throwaway stack (testcontainers, random ports, fresh credentials), removed afterwards. */
  ephemeral?: boolean;
  /** A phase id or "all". */
  phase: string;
  overrides: PhaseOverrides;
  externalWorker: boolean;
  workflowOptions: IngestionOptions;
  eagerStart: boolean;
  keepData: boolean;
  tests?: string[];
  reportsRoot?: string;
  progress: Progress;
  apexVersion: string;
  mapActivities?: RunPhaseOptions['mapActivities'];
  /** Aborts on SIGINT/SIGTERM: the running phase ends with its report marked interrupted, and no further phase runs. */
  signal?: AbortSignal;
  /** Seconds the workflows in flight get once a phase is interrupted. */
  graceSeconds?: number;
}

export interface PhaseOutcome {
  phase: string;
  title: string;
  runId: string;
  decision: Decision;
  recommendation: string;
  summary: PhaseSummary;
  reportDir: string;
  issues: string[];
  /** Why the phase ended early: a service stopped answering, the stack went down, or a signal. */
  interrupted?: Interruption;
  /** What the run left in the stores after its cleanup. */
  data?: RunData;
}

export interface TestPhaseResult {
  apiVersion: 1;
  ok: boolean;
  phases: PhaseOutcome[];
}

/** `apex test phase <id|all>`: runs each phase, writes its reports, and says whether every phase may proceed. */
export async function runTestPhase(options: TestPhaseOptions): Promise<TestPhaseResult> {
  const phases = selectPhases(options.phase);
  if (!options.ephemeral) {
    const loaded = options.load();
    // The project's lock: an `up`, `reset` or other phase on this stack waits for this one (`down` interrupts it).
    return withProjectLock(loaded.projectDir, { command: 'apex test phase', onWait: (message) => options.progress.warn(message) }, () =>
      runPhases(options, phases, loaded),
    );
  }
  // Fresh passwords: the throwaway stack never sees the developer's .env.
  const loaded = options.load({ ...process.env, ...generatedEnv() });
  const services = [...new Set(phases.flatMap((phase) => phase.services))];
  return withEphemeralStack(loaded, services, options.progress, (ephemeral) => runPhases(options, phases, ephemeral), {
    workHandlesSignals: options.signal !== undefined,
  });
}

async function runPhases(options: TestPhaseOptions, phases: readonly PhaseDefinition[], loaded: LoadedStack): Promise<TestPhaseResult> {
  const reportsRoot = options.reportsRoot ?? join(loaded.projectDir, 'reports');
  const secrets = secretValues(loaded.stack.credentials);
  const outcomes: PhaseOutcome[] = [];
  for (const phase of phases) {
    options.progress.step(`${phase.title}: ${phase.tests.length} tests`);
    const result = await runPhase({ ...options, reportsRoot, loaded, phase, progress: createLiveProgress(options.progress, systemClock, phase.id) });
    const report = writeReport(result, reportsRoot, secrets);
    options.progress.step(`report: ${report.dir} (report.html; every run: ${report.index})`);
    outcomes.push({
      phase: phase.id,
      title: result.title,
      runId: result.runId,
      decision: result.decision,
      recommendation: result.recommendation,
      summary: result.summary,
      reportDir: report.dir,
      issues: result.diagnoses.map((diagnosis) => diagnosis.title),
      ...(result.interrupted && { interrupted: result.interrupted }),
      data: result.data,
    });
    if (result.interrupted) break;
  }
  return { apiVersion: 1, ok: outcomes.every((outcome) => outcome.decision === 'proceed'), phases: outcomes };
}
