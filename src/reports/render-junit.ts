import type { PhaseRunResult } from '../results/run-result.js';

const xml = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** junit.xml: a skipped test is <skipped/>, never a pass; a failed one carries its failed checks and evidence. */
export function renderJunit(result: PhaseRunResult): string {
  const { summary } = result;
  const cases = result.tests.map((test) => {
    const open = `  <testcase classname="apex.phase.${xml(result.phase)}" name="${xml(test.name)}" time="${(test.metrics.durationMs / 1000).toFixed(3)}">`;
    if (test.status === 'passed') return `${open}</testcase>`;
    if (test.status === 'skipped') return `${open}\n    <skipped message="${xml(test.reason ?? 'skipped')}"/>\n  </testcase>`;
    const body = [
      ...test.checks.filter((check) => !check.passed).map((check) => `${check.name}: expected ${check.expected}, actual ${check.actual}`),
      ...test.evidence.flatMap((evidence) => [`[${evidence.source}] ${evidence.summary}`, ...evidence.lines.map((line) => `  ${line}`)]),
    ].join('\n');
    return `${open}\n    <failure message="${xml(test.reason ?? 'failed')}" type="ApexPhaseFailure">${xml(body)}</failure>\n  </testcase>`;
  });
  const setup = result.setupEvidence.length ? `\n  <system-err>${xml(result.setupEvidence.map((evidence) => `${evidence.summary}: ${evidence.lines.join(' | ')}`).join('\n'))}</system-err>` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="apex" tests="${summary.total}" failures="${summary.failed}" skipped="${summary.skipped}" time="${(result.durationMs / 1000).toFixed(3)}">`,
    `<testsuite name="${xml(result.title)}" tests="${summary.total}" failures="${summary.failed}" errors="0" skipped="${summary.skipped}" time="${(result.durationMs / 1000).toFixed(3)}" timestamp="${result.startedAt}">`,
    ...cases,
    `${setup}</testsuite>`,
    '</testsuites>',
    '',
  ].join('\n');
}
