import type { Diagnosis, FailureEvidence, PhaseRunResult, TestResult } from '../../results/run-result.js';
import type { InterruptionCause } from '../phase-interruption.js';
import { SIGNATURES, type FixEndpoints, type Signature } from './knowledge-base.js';

export type { FixEndpoints };

export function matchSignature(evidence: FailureEvidence, signatures: readonly Signature[] = SIGNATURES): Signature | undefined {
  const texts = [evidence.summary, ...evidence.lines];
  return signatures.find((signature) => texts.some((text) => signature.pattern.test(text)));
}

const UNMATCHED: Omit<Signature, 'pattern'> = {
  id: 'unmatched',
  title: 'Unrecognised failure',
  cause: 'No known signature matched this evidence.',
  fix: (at) =>
    `Read the evidence below and the workflow history in the Temporal UI (${at.temporalUi}); if it is a new kind of failure, add its signature to src/reports/knowledge-base.ts.`,
};

/** One diagnosis per cause, with the tests it affected and its evidence; fixes name the stack's addresses `at`. Skips count as no evidence. */
export function diagnose(result: Pick<PhaseRunResult, 'setupEvidence' | 'tests'>, at: FixEndpoints): Diagnosis[] {
  const byCause = new Map<string, Diagnosis>();
  const add = (test: string, evidence: FailureEvidence): void => {
    const signature = matchSignature(evidence);
    const key = signature?.id ?? `unmatched:${evidence.summary}`;
    const known: Omit<Signature, 'pattern'> = signature ?? UNMATCHED;
    const fix = typeof known.fix === 'string' ? known.fix : known.fix(at);
    const diagnosis = byCause.get(key) ?? { signature: known.id, title: known.title, cause: known.cause, fix, tests: [], evidence: [] };
    if (!diagnosis.tests.includes(test)) diagnosis.tests.push(test);
    if (!diagnosis.evidence.some((known) => known.summary === evidence.summary)) diagnosis.evidence.push(evidence);
    byCause.set(key, diagnosis);
  };
  for (const evidence of result.setupEvidence) add('(setup)', evidence);
  for (const test of result.tests) {
    if (test.status !== 'failed') continue;
    if (test.evidence.length === 0) {
      add(test.name, {
        source: 'verification',
        summary: `${test.name} failed its checks`,
        lines: test.checks.filter((check) => !check.passed).map((check) => `${check.name}: expected ${check.expected}, got ${check.actual}`),
        workflows: 0,
      });
    }
    for (const evidence of test.evidence) add(test.name, evidence);
  }
  return [...byCause.values()];
}

const INTERRUPTION_TITLES: Record<InterruptionCause['reason'], (cause: InterruptionCause) => string> = {
  'store-unreachable': (cause) => `${cause.store ?? 'A service'} stopped answering during the run`,
  'stack-down': () => 'The stack went down during the run',
  signal: () => 'The run was interrupted',
};

/**
 * The first diagnosis of an interrupted run: what went away (or the signal), when, and the fix. The timeouts and
 * store errors the tests then saw follow from it, so it leads ISSUES.md.
 */
export function interruptionDiagnosis(cause: InterruptionCause, graceMs: number, tests: readonly TestResult[]): Diagnosis {
  const when = `${(cause.atMs / 1000).toFixed(1)} s into the run`;
  const ending = `the phase stopped starting workflows, gave those in flight ${Math.round(graceMs / 1000)} s, terminated those still running, and ran no further test`;
  return {
    signature: `interrupted-${cause.reason}`,
    title: INTERRUPTION_TITLES[cause.reason](cause),
    cause:
      cause.reason === 'signal'
        ? `${cause.evidence.summary} ${when}: ${ending}.`
        : `${cause.evidence.summary} from ${when} (the phase probes every service it uses each second): ${ending}. Failures and timeouts listed below it follow from this.`,
    fix: cause.fix,
    tests: tests.filter((test) => test.status === 'failed').map((test) => test.name),
    evidence: [cause.evidence],
  };
}
