import type { Check } from '../results/run-result.js';
import { likelyRename, type ExposedFamily } from './exposition.js';
import type { CheckOutcome } from './metric-checks.js';
import { metricsInExpression } from './promql-metrics.js';
import type { PromtoolRun } from './promtool.js';
import type { AlertRule, RuleRequirements } from './rule-files.js';
import type { RuleTestCoverage } from './rule-tests.js';

/** Evidence summaries start with these words: the diagnosis knowledge base matches on them. */
export const RULE_EVIDENCE = {
  syntax: 'Rule syntax error',
  unitTest: 'Rule unit test failed',
  untested: 'Rule has no unit test',
  annotations: 'Rule annotations incomplete',
  metricMissing: 'Alert reads a metric the worker does not serve',
  routing: 'Alert routed to the wrong receiver',
  neverFired: 'Alert never fired',
  notDelivered: 'Alert not delivered',
  notResolved: 'Alert did not resolve',
} as const;

/** `promtool check rules`, one check per file, one piece of evidence per problem. */
export function checkRuleSyntax(files: readonly string[], run: PromtoolRun): CheckOutcome {
  const checks: Check[] = files.map((file) => {
    const problems = run.problems.filter((problem) => problem.file === undefined || file.endsWith(problem.file) || problem.file.endsWith(file));
    return {
      name: `promtool check rules ${file}`,
      expected: 'SUCCESS',
      actual: run.ok ? 'SUCCESS' : problems.map((problem) => problem.message).join('; ') || 'FAILED',
      passed: run.ok,
    };
  });
  const evidence = run.problems.map((problem) => ({
    source: 'verification' as const,
    summary: `${RULE_EVIDENCE.syntax}: ${problem.rule ?? problem.file ?? 'rule file'}`,
    lines: [
      `${problem.file ?? ''}${problem.line ? `:${problem.line}` : ''} ${problem.rule ? `rule "${problem.rule}": ` : ''}${problem.message}`.trim(),
      `$ ${run.command}`,
    ],
    workflows: 0,
  }));
  return { checks, evidence };
}

/** Every rule a syntax check passes also parses with the PromQL grammar apex reads metrics with. */
export function checkRuleExpressions(rules: readonly AlertRule[]): CheckOutcome {
  const checks: Check[] = [];
  const evidence: CheckOutcome['evidence'] = [];
  for (const rule of rules) {
    const { syntaxError } = metricsInExpression(rule.expr);
    if (!syntaxError) continue;
    checks.push({ name: `${rule.alert} expression parses`, expected: 'valid PromQL', actual: syntaxError, passed: false });
    evidence.push({
      source: 'verification',
      summary: `${RULE_EVIDENCE.syntax}: ${rule.alert}`,
      lines: [`${rule.file}: ${rule.alert}: ${syntaxError}`, rule.expr.trim()],
      workflows: 0,
    });
  }
  return { checks, evidence };
}

/**
 * Every rule carries the labels and annotations its rule set requires and, when a runbook is given, a runbook_url
 * whose section exists in it. A missing one names the file, the group and the alert.
 */
export function checkRuleAnnotations(rules: readonly AlertRule[], requirements: RuleRequirements, runbookAnchors?: ReadonlySet<string>): CheckOutcome {
  const checks: Check[] = [];
  const evidence: CheckOutcome['evidence'] = [];
  const expected = [...requirements.annotations, ...requirements.labels.map((label) => `label ${label}`)].join(', ');
  for (const rule of rules) {
    const missing: string[] = requirements.annotations.filter((key) => !rule.annotations[key]?.trim());
    missing.push(...requirements.labels.filter((label) => !rule.labels[label]?.trim()).map((label) => `label ${label}`));
    const anchor = rule.annotations.runbook_url?.split('#')[1];
    if (runbookAnchors && rule.annotations.runbook_url && (!anchor || !runbookAnchors.has(anchor.toLowerCase())))
      missing.push(`runbook section #${anchor ?? '(none)'}`);
    checks.push({
      name: `${rule.alert} annotations`,
      expected,
      actual: missing.length ? `missing ${missing.join(', ')}` : 'complete',
      passed: missing.length === 0,
    });
    if (missing.length)
      evidence.push({
        source: 'verification',
        summary: `${RULE_EVIDENCE.annotations}: ${rule.alert}`,
        lines: [`${rule.file}: group ${rule.group}: ${rule.alert} lacks ${missing.join(', ')}`],
        workflows: 0,
      });
  }
  return { checks, evidence };
}

/** Series Prometheus makes itself, which no target serves. */
const PROMETHEUS_SERIES = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_series_added']);

/**
 * Every metric an alert reads is served at the worker's metrics endpoint: declared there (HELP/TYPE), or a series of
 * a declared family (`_total` and `_created` of a counter, `_bucket`, `_count` and `_sum` of a histogram). An alert
 * over a metric nobody serves never fires.
 */
export function checkRuleMetricsServed(rules: readonly AlertRule[], families: ReadonlyMap<string, ExposedFamily>, url: string): CheckOutcome {
  const checks: Check[] = [];
  const evidence: CheckOutcome['evidence'] = [];
  const served = (name: string) => families.has(name) || families.has(name.replace(/_(total|created|bucket|count|sum)$/, ''));
  const exposed = [...families.keys()];
  for (const rule of rules) {
    const read = metricsInExpression(rule.expr).metrics.filter((name) => !PROMETHEUS_SERIES.has(name));
    const missing = read.filter((name) => !served(name));
    checks.push({
      name: `${rule.alert} metrics served`,
      expected: `${read.join(', ') || '(none read)'} at ${url}`,
      actual: missing.length ? `missing ${missing.join(', ')}` : `all ${read.length} served`,
      passed: missing.length === 0,
    });
    if (missing.length)
      evidence.push({
        source: 'verification',
        summary: `${RULE_EVIDENCE.metricMissing}: ${rule.alert}`,
        lines: missing.map((name) => {
          const rename = likelyRename(name, exposed);
          return `${rule.file}: group ${rule.group}: ${rule.alert} reads ${name}, which ${url} does not serve${rename ? ` (it serves ${rename})` : ''}`;
        }),
        workflows: 0,
      });
  }
  return { checks, evidence };
}

/** Markdown headings as GitHub anchors ("## WorkerDown" → "workerdown"). */
export function markdownAnchors(markdown: string): Set<string> {
  return new Set(
    markdown
      .split('\n')
      .filter((line) => /^#{1,6}\s/.test(line))
      .map((line) =>
        line
          .replace(/^#+\s*/, '')
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
  );
}

/** `promtool test rules` passes, and every rule has a test that makes it fire and one that keeps it quiet. */
export function checkRuleUnitTests(rules: readonly AlertRule[], run: PromtoolRun, coverage: RuleTestCoverage): CheckOutcome {
  const checks: Check[] = [
    { name: 'promtool test rules', expected: 'SUCCESS', actual: run.ok ? 'SUCCESS' : `${run.problems.length} failure(s)`, passed: run.ok },
  ];
  const evidence: CheckOutcome['evidence'] = run.problems.map((problem) => ({
    source: 'verification' as const,
    summary: `${RULE_EVIDENCE.unitTest}: ${problem.rule ?? 'rule tests'}`,
    lines: [...problem.message.split('\n').slice(0, 12), `$ ${run.command}`],
    workflows: 0,
  }));
  for (const name of [...new Set(rules.map((rule) => rule.alert))]) {
    const fires = coverage.firing.includes(name);
    const quiet = coverage.quiet.includes(name);
    checks.push({
      name: `${name} unit tests`,
      expected: 'a firing case and a quiet case',
      actual: [fires ? 'fires' : 'no firing case', quiet ? 'quiet' : 'no quiet case'].join(', '),
      passed: fires && quiet,
    });
    if (!fires || !quiet) {
      evidence.push({
        source: 'verification',
        summary: `${RULE_EVIDENCE.untested}: ${name}`,
        lines: [
          `templates/prometheus/tests has ${fires ? 'no test where it stays quiet' : 'no test where it fires'}: a rule never shown to fire may never fire`,
        ],
        workflows: 0,
      });
    }
  }
  return { checks, evidence };
}

/** Each rule's labels reach a receiver other than the catch-all (amtool's routing answer, per rule). */
export async function checkRuleRouting(
  rules: readonly AlertRule[],
  route: (labels: Record<string, string>) => Promise<string[]>,
  defaultReceiver: string,
): Promise<CheckOutcome & { expected: Map<string, string[]> }> {
  const checks: Check[] = [];
  const evidence: CheckOutcome['evidence'] = [];
  const expected = new Map<string, string[]>();
  for (const rule of rules) {
    const receivers = await route({ alertname: rule.alert, ...rule.labels });
    expected.set(rule.alert, receivers);
    const passed = receivers.length > 0 && !receivers.includes(defaultReceiver);
    checks.push({ name: `${rule.alert} routed`, expected: `a receiver other than ${defaultReceiver}`, actual: receivers.join(', ') || '(none)', passed });
    if (!passed)
      evidence.push({
        source: 'verification',
        summary: `${RULE_EVIDENCE.routing}: ${rule.alert}`,
        lines: [`labels ${JSON.stringify(rule.labels)} route to ${receivers.join(', ') || '(none)'}, the catch-all`],
        workflows: 0,
      });
  }
  return { checks, evidence, expected };
}
