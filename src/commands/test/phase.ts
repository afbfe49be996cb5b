import { Args, Flags } from '@oclif/core';
import { ApexCommand } from '../../cli/apex-command.js';
import { loadStack } from '../../config/stack-context.js';
import { interruptOnSignals } from '../../cli/interrupt-signals.js';
import { DEFAULT_GRACE_SECONDS, describeInterruption } from '../../phases/phase-interruption.js';
import { runTestPhase, type TestPhaseResult } from '../../phases/test-phase.js';
import { createProgress } from '../../ui/progress.js';
import { describeRunData } from '../../reports/run-data.js';

export default class TestPhase extends ApexCommand<TestPhaseResult> {
  static override summary = 'Run a test phase (2c, 2d, 2e metrics, 2f alerts, or all), verify what it did, and write its reports.';
  static override description =
    'Reports go to reports/<phase>/<timestamp>/ (INDEX.md, ISSUES.md, FIXES.md, results.json, junit.xml, report.html). ' +
    'Exits 1 unless every phase passed with workflows actually run. Thresholds: phases.<id> in apex.config.yaml (`apex test list`). ' +
    'Phases 2c and 2d drive the worker contract that `contract:` in apex.config.yaml selects (built-ins: reference, apex-memory): ' +
    'its queue, arguments, result fields and store queries; with a worker command in the contract, apex starts that worker for the run.';
  static override examples = [
    '<%= config.bin %> test phase 2c',
    '<%= config.bin %> test phase 2d --workflows 10',
    '<%= config.bin %> test phase 2d --config team.apex.config.yaml',
    '<%= config.bin %> test phase 2c --ephemeral',
    '<%= config.bin %> test phase 2c --concurrency 50 --duration 60',
    '<%= config.bin %> test phase all --external-worker --json',
    '<%= config.bin %> test phase 2e',
    '<%= config.bin %> test phase 2f --test test_rules_promtool_check --test test_rules_unit_tests',
  ];

  static override args = { phase: Args.string({ description: 'Phase id (2c, 2d, 2e, 2f) or all.', required: true }) };

  static override flags = {
    workflows: Flags.integer({ description: "Workflows per test (overrides each test's configured size).", min: 1 }),
    concurrency: Flags.integer({ description: 'Workflows in flight for the closed-model (throughput) tests.', min: 1 }),
    duration: Flags.integer({ description: 'Seconds the throughput tests run for, instead of a workflow count.', min: 1 }),
    'external-worker': Flags.boolean({
      description:
        "A worker already polls the contract's task queue: apex starts none (neither the in-process reference worker nor the contract's worker command).",
    }),
    test: Flags.string({ description: 'Run only this test (repeatable).', multiple: true }),
    'keep-data': Flags.boolean({ description: "Keep passed tests' rows, nodes, points, keys and objects (removed by default)." }),
    'local-cpu-steps': Flags.boolean({
      description: 'Run parse, extract and embed as local activities (fewer state transitions).',
      default: true,
      allowNo: true,
    }),
    'local-store-writes': Flags.boolean({
      description: 'Run the store writes and compensations as local activities (about a third of the state transitions; attempts are read from the markers).',
      default: true,
      allowNo: true,
    }),
    'eager-start': Flags.boolean({ description: 'Request eager workflow start from the in-process worker.', default: true, allowNo: true }),
    ephemeral: Flags.boolean({
      description: 'Run on a throwaway stack (testcontainers, random ports), removed afterwards even on Ctrl-C; never touches your stack or data.',
    }),
    'reports-dir': Flags.string({ description: 'Where reports go (default: ./reports).' }),
    grace: Flags.integer({
      description:
        'Seconds the workflows in flight get to finish once the phase is interrupted (a service it uses stopped answering, or Ctrl-C); then the phase ends with its report.',
      min: 0,
      default: DEFAULT_GRACE_SECONDS,
    }),
  };

  async run(): Promise<TestPhaseResult> {
    const { args, flags } = await this.parse(TestPhase);
    const progress = createProgress({ quiet: this.jsonEnabled() });
    const signals = interruptOnSignals(
      (signal) => progress.warn(`${signal}: ending the phase (workflows in flight get ${flags.grace} s), then writing its report; again to exit now`),
      () => progress.warn('Exiting now: no report is written for the phase that was running.'),
    );
    const result = await runTestPhase({
      load: (processEnv) => loadStack({ configFile: flags.config, processEnv }),
      ephemeral: flags.ephemeral,
      phase: args.phase,
      overrides: { workflows: flags.workflows, concurrency: flags.concurrency, durationMs: flags.duration === undefined ? undefined : flags.duration * 1000 },
      externalWorker: flags['external-worker'],
      workflowOptions: { localCpuSteps: flags['local-cpu-steps'], localStoreWrites: flags['local-store-writes'] },
      eagerStart: flags['eager-start'],
      keepData: flags['keep-data'],
      tests: flags.test,
      reportsRoot: flags['reports-dir'],
      progress,
      apexVersion: this.config.version,
      signal: signals.signal,
      graceSeconds: flags.grace,
    }).finally(() => signals.dispose());
    if (!this.jsonEnabled()) {
      for (const phase of result.phases) {
        const s = phase.summary;
        this.log(
          `${phase.decision === 'proceed' ? '✅' : '❌'} ${phase.title}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped; ${s.workflowsSucceeded}/${s.workflowsExecuted} workflows, ${s.throughputWorkflowsPerSecond.toFixed(2)} wf/s, ${s.stateTransitionsPerSecond.toFixed(1)} transitions/s`,
        );
        if (phase.interrupted) this.log(`   interrupted: ${describeInterruption(phase.interrupted)}`);
        for (const issue of phase.issues) this.log(`   issue: ${issue}`);
        if (phase.data) this.log(`   data: ${describeRunData(phase.data, phase.runId)}`);
        this.log(`   ${phase.recommendation}`);
        this.log(`   report: ${phase.reportDir}/INDEX.md`);
      }
    }
    const bySignal = result.phases.some((phase) => phase.interrupted?.reason === 'signal');
    if (!result.ok) process.exitCode = (bySignal && signals.exitCode()) || 1;
    return result;
  }
}
