import { readFileSync } from 'node:fs';
import { checkAlertmanagerConfig, receiversFor } from '../../observability/amtool.js';
import { INSTALL_HINT } from '../../observability/binaries.js';
import type { CheckOutcome } from '../../observability/metric-checks.js';
import { checkRules, testRules } from '../../observability/promtool.js';
import {
  checkRuleAnnotations,
  checkRuleExpressions,
  checkRuleRouting,
  checkRuleSyntax,
  checkRuleUnitTests,
  markdownAnchors,
  RULE_EVIDENCE,
} from '../../observability/rule-checks.js';
import { readRuleTestFile, ruleTestCoverage } from '../../observability/rule-tests.js';
import { observabilityOf } from '../observability-session.js';
import { abortedOutcome, checksOutcome, test, type TestOutcome } from '../observability-tests.js';
import { ruleSources } from './rule-sources.js';
import type { Phase2fThresholds } from './settings.js';

function toolsMissing(runId: string, tool: string): TestOutcome {
  return abortedOutcome(runId, `Prometheus tools missing: ${tool}`, new Error(`${tool} is not on PATH; install it: ${INSTALL_HINT}`));
}

const merge = (...outcomes: CheckOutcome[]): CheckOutcome => ({
  checks: outcomes.flatMap((outcome) => outcome.checks),
  evidence: outcomes.flatMap((outcome) => outcome.evidence),
});

/** The tests that prove the rules and the routing tree offline, with promtool and amtool. */
export const ruleTests = [
  test<Phase2fThresholds>(
    'test_rules_promtool_check',
    '`promtool check rules` over templates/prometheus/rules: every rule file loads and every expression parses.',
    async (ctx) => {
      const session = observabilityOf(ctx.environment);
      if (!session.tools.promtool) return toolsMissing(`${ctx.runId}-check`, 'promtool');
      const sources = ruleSources(session);
      const run = await checkRules(sources.ruleFiles, { binary: session.tools.promtool });
      return checksOutcome(`${ctx.runId}-check`, merge(checkRuleSyntax(sources.ruleFiles, run), checkRuleExpressions(sources.rules)));
    },
  ),
  test<Phase2fThresholds>(
    'test_rules_unit_tests',
    '`promtool test rules` over templates/prometheus/tests, and every rule has a test where it fires and one where it stays quiet.',
    async (ctx) => {
      const session = observabilityOf(ctx.environment);
      if (!session.tools.promtool) return toolsMissing(`${ctx.runId}-unit`, 'promtool');
      const sources = ruleSources(session);
      const run = await testRules(sources.testFiles, { binary: session.tools.promtool });
      return checksOutcome(`${ctx.runId}-unit`, checkRuleUnitTests(sources.rules, run, ruleTestCoverage(sources.testFiles.map(readRuleTestFile))));
    },
  ),
  test<Phase2fThresholds>(
    'test_rules_annotations',
    'Every rule has a summary, a description, a severity and a runbook_url whose section exists in templates/prometheus/runbook.md.',
    async (ctx) => {
      const sources = ruleSources(observabilityOf(ctx.environment));
      return checksOutcome(`${ctx.runId}-annotations`, checkRuleAnnotations(sources.rules, markdownAnchors(readFileSync(sources.runbook, 'utf8'))));
    },
  ),
  test<Phase2fThresholds>(
    'test_alertmanager_routing_config',
    '`amtool check-config`, and the routing tree sends every rule to a receiver other than the catch-all.',
    async (ctx, t) => {
      const session = observabilityOf(ctx.environment);
      if (!session.tools.amtool) return toolsMissing(`${ctx.runId}-routing`, 'amtool');
      const sources = ruleSources(session);
      const config = await checkAlertmanagerConfig(sources.alertmanagerConfig, { binary: session.tools.amtool });
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
        (labels) => receiversFor(sources.alertmanagerConfig, labels, { binary: session.tools.amtool }),
        t.defaultReceiver,
      );
      return checksOutcome(`${ctx.runId}-routing`, merge(configCheck, routing));
    },
  ),
];
