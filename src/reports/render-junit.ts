import type { PhaseRunResult, TestResult } from '../results/run-result.js';
import { standInOf, storeOfCheck } from './verification-view.js';

const xml = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** A test whose checks queried a stand-in says so, as a property CI reporters show. */
function standInProperties(result: PhaseRunResult, test: TestResult): string {
  const stores = [...new Set(test.checks.map(storeOfCheck))].flatMap((store) => {
    const standIn = standInOf(result, store);
    return standIn ? [`<property name="stand-in" value="${xml(`${store}: ${standIn}`)}"/>`] : [];
  });
  return stores.length > 0 ? `\n    <properties>${stores.join('')}</properties>` : '';
}

/** junit.xml: a skipped test is <skipped/>, never a pass; a failed one carries its failed checks and evidence. */
export function renderJunit(result: PhaseRunResult): string {
  const { summary } = result;
  const cases = result.tests.map((test) => {
    const properties = standInProperties(result, test);
    const open = `  <testcase classname="apex.phase.${xml(result.phase)}" name="${xml(test.name)}" time="${(test.metrics.durationMs / 1000).toFixed(3)}">${properties}`;
    if (test.status === 'passed') return properties ? `${open}\n  </testcase>` : `${open}</testcase>`;
    if (test.status === 'skipped') return `${open}\n    <skipped message="${xml(test.reason ?? 'skipped')}"/>\n  </testcase>`;
    const body = [
      ...test.checks.filter((check) => !check.passed).map((check) => `${check.name}: expected ${check.expected}, actual ${check.actual}`),
      ...test.evidence.flatMap((evidence) => [`[${evidence.source}] ${evidence.summary}`, ...evidence.lines.map((line) => `  ${line}`)]),
    ].join('\n');
    return `${open}\n    <failure message="${xml(test.reason ?? 'failed')}" type="ApexPhaseFailure">${xml(body)}</failure>\n  </testcase>`;
  });
  const { interrupted } = result;
  const properties = interrupted
    ? `\n  <properties>\n    <property name="interrupted" value="${xml(interrupted.reason)}"/>${interrupted.store ? `\n    <property name="interruptedStore" value="${xml(interrupted.store)}"/>` : ''}\n    <property name="interruptedAtMs" value="${Math.round(interrupted.atMs)}"/>\n  </properties>`
    : '';
  const setup = result.setupEvidence.length ? `\n  <system-err>${xml(result.setupEvidence.map((evidence) => `${evidence.summary}: ${evidence.lines.join(' | ')}`).join('\n'))}</system-err>` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="apex" tests="${summary.total}" failures="${summary.failed}" skipped="${summary.skipped}" time="${(result.durationMs / 1000).toFixed(3)}">`,
    `<testsuite name="${xml(result.title)}" tests="${summary.total}" failures="${summary.failed}" errors="0" skipped="${summary.skipped}" time="${(result.durationMs / 1000).toFixed(3)}" timestamp="${result.startedAt}">${properties}`,
    ...cases,
    `${setup}</testsuite>`,
    '</testsuites>',
    '',
  ].join('\n');
}
