import { readFileSync } from 'node:fs';
import { checkAlertmanagerConfig, receiversFor } from '../../observability/amtool.js';
import { INSTALL_HINT } from '../../observability/binaries.js';
import type { CheckOutcome } from '../../observability/metric-checks.js';
import { checkRules, testRules } from '../../observability/promtool.js';
import {
  checkRuleAnnotations,
  checkRuleExpressions,
  checkRuleMetricsServed,
  checkRuleRouting,
  checkRuleSyntax,
  checkRuleUnitTests,
  markdownAnchors,
  RULE_EVIDENCE,
} from '../../observability/rule-checks.js';
import { readRuleTestFile, ruleTestCoverage } from '../../observability/rule-tests.js';
import { scrapeEndpoint } from '../../observability/exposition.js';
import { abortedOutcome, checksOutcome, test, type TestOutcome } from '../observability-tests.js';
import type { PhaseContext } from '../phase-context.js';
import { alertingOf, onlyWhen, projectRules } from './alerting.js';
import type { Phase2fThresholds } from './settings.js';

function toolsMissing(runId: string, tool: string): TestOutcome {
  return abortedOutcome(runId, `Prometheus tools missing: ${tool}`, new Error(`${tool} is not on PATH; install it: ${INSTALL_HINT}`));
}

const merge = (...outcomes: CheckOutcome[]): CheckOutcome => ({
  checks: outcomes.flatMap((outcome) => outcome.checks),
  evidence: outcomes.flatMap((outcome) => outcome.evidence),
});

/** A project's rules have no promtool unit tests unless the contract names them. */
const unitTested = (ctx: PhaseContext): string | undefined =>
  ctx.contract.alerts && ctx.contract.alerts.testFiles.length === 0
    ? "the worker contract names no unit tests for the project's rules (`alerts.testFiles`)"
    : undefined;

/** The tests that prove the rules and the routing tree offline, with promtool and amtool. */
export const ruleTests = [
  test<Phase2fThresholds>(
    'test_rules_promtool_check',
    "`promtool check rules` over the rule files (apex's templates/prometheus/rules, or the contract's `alerts.ruleFiles`): every file loads and every expression parses.",
    async (ctx) => {
      const { tools, sources } = alertingOf(ctx.environment);
      if (!tools.promtool) return toolsMissing(`${ctx.runId}-check`, 'promtool');
      const run = await checkRules(sources.ruleFiles, { binary: tools.promtool });
      return checksOutcome(`${ctx.runId}-check`, merge(checkRuleSyntax(sources.ruleFiles, run), checkRuleExpressions(sources.rules)));
    },
  ),
  onlyWhen(
    unitTested,
    test<Phase2fThresholds>(
      'test_rules_unit_tests',
      "`promtool test rules` over the rules' unit tests (apex's templates/prometheus/tests, or the contract's `alerts.testFiles`), and every rule has a test where it fires and one where it stays quiet.",
      async (ctx) => {
        const { tools, sources } = alertingOf(ctx.environment);
        if (!tools.promtool) return toolsMissing(`${ctx.runId}-unit`, 'promtool');
        const run = await testRules(sources.testFiles, { binary: tools.promtool });
        return checksOutcome(`${ctx.runId}-unit`, checkRuleUnitTests(sources.rules, run, ruleTestCoverage(sources.testFiles.map(readRuleTestFile))));
      },
    ),
  ),
  test<Phase2fThresholds>(
    'test_rules_annotations',
    "Every alert carries the required labels and annotations (apex's rules: summary, description, runbook_url whose section exists in templates/prometheus/runbook.md, and severity; a project's: the contract's `alerts.labels` and `alerts.annotations`).",
    async (ctx) => {
      const { sources, requirements } = alertingOf(ctx.environment);
      const anchors = sources.runbook ? markdownAnchors(readFileSync(sources.runbook, 'utf8')) : undefined;
      return checksOutcome(`${ctx.runId}-annotations`, checkRuleAnnotations(sources.rules, requirements, anchors));
    },
  ),
  onlyWhen(
    projectRules,
    test<Phase2fThresholds>(
      'test_rules_metrics_served',
      "Every metric an alert of the project's rules reads is served at the worker under test's metrics endpoint (`worker.metricsUrl`).",
      async (ctx) => {
        const { sources, metricsUrl } = alertingOf(ctx.environment);
        if (!metricsUrl)
          return abortedOutcome(`${ctx.runId}-served`, 'The worker contract names no metrics endpoint', new Error('set `contract.worker.metricsUrl`'));
        const scraped = await scrapeEndpoint(metricsUrl);
        if (!scraped.families) return abortedOutcome(`${ctx.runId}-served`, "The worker's metrics endpoint cannot be read", new Error(scraped.error));
        return checksOutcome(`${ctx.runId}-served`, checkRuleMetricsServed(sources.rules, scraped.families, metricsUrl));
      },
    ),
  ),
  test<Phase2fThresholds>(
    'test_alertmanager_routing_config',
    '`amtool check-config`, and the routing tree sends every rule to a receiver other than the catch-all.',
    async (ctx, t) => {
      const { tools, sources } = alertingOf(ctx.environment);
      if (!tools.amtool) return toolsMissing(`${ctx.runId}-routing`, 'amtool');
      const config = await checkAlertmanagerConfig(sources.alertmanagerConfig, { binary: tools.amtool });
      const configCheck: CheckOutcome = {
        checks: [
          {
            name: 'amtool check-config',
            expected: 'SUCCESS',
            actual: config.ok ? 'SUCCESS' : config.output.split('\n').slice(-3).join(' '),
            passed: config.ok,
          },
        ],
        evidence: config.ok
          ? []
          : [
              {
                source: 'verification',
                summary: `${RULE_EVIDENCE.routing}: alertmanager.yml does not load`,
                lines: config.output.split('\n').slice(-8),
                workflows: 0,
              },
            ],
      };
      if (!config.ok) return checksOutcome(`${ctx.runId}-routing`, configCheck);
      const routing = await checkRuleRouting(
        sources.rules,
        (labels) => receiversFor(sources.alertmanagerConfig, labels, { binary: tools.amtool }),
        t.defaultReceiver,
      );
      return checksOutcome(`${ctx.runId}-routing`, merge(configCheck, routing));
    },
  ),
];
