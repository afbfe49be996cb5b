import type { PhaseRunResult } from '../results/run-result.js';
import { ms, rate } from './format.js';

/** A figure moved beyond noise when it changed by more than both bounds (run-to-run jitter on a shared machine). */
export const NOISE = { relative: 0.15, latencyMs: 20, throughput: 0.5 } as const;

interface Figure {
  name: string;
  previous: number | undefined;
  current: number | undefined;
  better: 'higher' | 'lower';
  floor: number;
  format(value: number): string;
}

function figures(previous: PhaseRunResult, current: PhaseRunResult): Figure[] {
  const latency = (name: string, pick: (result: PhaseRunResult) => number | undefined): Figure => ({ name, previous: pick(previous), current: pick(current), better: 'lower', floor: NOISE.latencyMs, format: ms });
  return [
    { name: 'Throughput', previous: previous.summary.throughputWorkflowsPerSecond, current: current.summary.throughputWorkflowsPerSecond, better: 'higher', floor: NOISE.throughput, format: (value) => rate(value) },
    { name: 'State transitions/s', previous: previous.summary.stateTransitionsPerSecond, current: current.summary.stateTransitionsPerSecond, better: 'higher', floor: 5, format: (value) => value.toFixed(1) },
    { name: 'Transitions per workflow', previous: previous.summary.transitionsPerWorkflow, current: current.summary.transitionsPerWorkflow, better: 'lower', floor: 1, format: (value) => value.toFixed(1) },
    latency('Average latency', (result) => result.summary.endToEndMs?.mean),
    latency('P50 latency', (result) => result.summary.endToEndMs?.p50),
    latency('P95 latency', (result) => result.summary.endToEndMs?.p95),
    latency('P99 latency', (result) => result.summary.endToEndMs?.p99),
    latency('Scheduling P99', (result) => result.summary.schedulingMs?.p99),
    { name: 'Success rate', previous: previous.summary.successRate, current: current.summary.successRate, better: 'higher', floor: 0.001, format: (value) => `${(value * 100).toFixed(1)}%` },
  ];
}

export function movedBeyondNoise(figure: Pick<Figure, 'previous' | 'current' | 'floor'>): boolean {
  if (figure.previous === undefined || figure.current === undefined) return figure.previous !== figure.current;
  const delta = Math.abs(figure.current - figure.previous);
  return delta > figure.floor && delta > NOISE.relative * Math.abs(figure.previous);
}

/** FIXES.md: what this run fixed, regressed and moved, against the previous run of the same phase. */
export function renderFixes(current: PhaseRunResult, previous: PhaseRunResult | undefined): string {
  const out = [`# ${current.title}: Fixes and Regressions`, '', `**Run:** \`${current.runId}\``];
  if (!previous) return [...out, '', 'No previous run of this phase to compare with: this is the baseline.', ''].join('\n');
  out.push(`**Compared with:** \`${previous.runId}\` (${previous.startedAt})`, '');
  const before = new Map(previous.tests.map((test) => [test.name, test.status]));
  const changes = { fixed: [] as string[], regressed: [] as string[], stillFailing: [] as string[], other: [] as string[] };
  for (const test of current.tests) {
    const was = before.get(test.name);
    if (was === 'failed' && test.status === 'passed') changes.fixed.push(test.name);
    else if (was === 'passed' && test.status === 'failed') changes.regressed.push(test.name);
    else if (was === 'failed' && test.status === 'failed') changes.stillFailing.push(test.name);
    else if (was !== test.status) changes.other.push(`${test.name}: ${was ?? 'new'} → ${test.status}`);
  }
  const list = (items: string[]) => (items.length ? items.map((item) => `- ${item}`) : ['- none']);
  const causesBefore = new Set(previous.diagnoses.map((diagnosis) => diagnosis.title));
  const causesNow = new Set(current.diagnoses.map((diagnosis) => diagnosis.title));
  out.push(
    '## ✅ Fixed',
    '',
    ...list(changes.fixed),
    ...[...causesBefore].filter((cause) => !causesNow.has(cause)).map((cause) => `- resolved: ${cause}`),
    '',
    '## ❌ Regressed',
    '',
    ...list(changes.regressed),
    ...[...causesNow].filter((cause) => !causesBefore.has(cause)).map((cause) => `- new issue: ${cause}`),
    '',
    '## Still failing',
    '',
    ...list(changes.stillFailing),
    '',
  );
  if (changes.other.length) out.push('## Other status changes', '', ...list(changes.other), '');
  const moved = figures(previous, current).filter(movedBeyondNoise);
  out.push(
    '## Figures that moved beyond noise',
    '',
    `Noise: a change counts when it exceeds ${NOISE.relative * 100}% and the figure's absolute floor.`,
    '',
  );
  if (moved.length === 0) out.push('None: every figure is within noise of the previous run.', '');
  else {
    out.push('| Figure | Previous | Now | Change |', '|--------|----------|-----|--------|');
    for (const figure of moved) {
      const improved = figure.previous !== undefined && figure.current !== undefined && (figure.better === 'higher' ? figure.current > figure.previous : figure.current < figure.previous);
      out.push(`| ${figure.name} | ${figure.previous === undefined ? 'n/a' : figure.format(figure.previous)} | ${figure.current === undefined ? 'n/a' : figure.format(figure.current)} | ${improved ? '✅ better' : '❌ worse'} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
