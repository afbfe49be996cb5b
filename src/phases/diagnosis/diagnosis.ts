import type { Diagnosis, FailureEvidence, PhaseRunResult } from '../../results/run-result.js';
import { SIGNATURES, type Signature } from './knowledge-base.js';

export function matchSignature(evidence: FailureEvidence, signatures: readonly Signature[] = SIGNATURES): Signature | undefined {
  const texts = [evidence.summary, ...evidence.lines];
  return signatures.find((signature) => texts.some((text) => signature.pattern.test(text)));
}

const UNMATCHED = {
  signature: 'unmatched',
  title: 'Unrecognised failure',
  cause: 'No known signature matched this evidence.',
  fix: 'Read the evidence below and the workflow history in the Temporal UI (http://127.0.0.1:8233); if it is a new kind of failure, add its signature to src/reports/knowledge-base.ts.',
};

/** One diagnosis per cause, with the tests it affected and its evidence. Skips count as no evidence. */
export function diagnose(result: Pick<PhaseRunResult, 'setupEvidence' | 'tests'>): Diagnosis[] {
  const byCause = new Map<string, Diagnosis>();
  const add = (test: string, evidence: FailureEvidence): void => {
    const signature = matchSignature(evidence);
    const key = signature?.id ?? `unmatched:${evidence.summary}`;
    const diagnosis = byCause.get(key) ?? { ...(signature ? { signature: signature.id, title: signature.title, cause: signature.cause, fix: signature.fix } : UNMATCHED), tests: [], evidence: [] };
    if (!diagnosis.tests.includes(test)) diagnosis.tests.push(test);
    if (!diagnosis.evidence.some((known) => known.summary === evidence.summary)) diagnosis.evidence.push(evidence);
    byCause.set(key, diagnosis);
  };
  for (const evidence of result.setupEvidence) add('(setup)', evidence);
  for (const test of result.tests) {
    if (test.status !== 'failed') continue;
    if (test.evidence.length === 0) {
      add(test.name, { source: 'verification', summary: `${test.name} failed its checks`, lines: test.checks.filter((check) => !check.passed).map((check) => `${check.name}: expected ${check.expected}, got ${check.actual}`), workflows: 0 });
    }
    for (const evidence of test.evidence) add(test.name, evidence);
  }
  return [...byCause.values()];
}
