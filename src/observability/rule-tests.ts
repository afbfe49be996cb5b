import { z } from 'zod';
import { readYamlFile, type AlertRule } from './rule-files.js';

const ruleTestFileSchema = z.object({
  rule_files: z.array(z.string()).default([]),
  tests: z
    .array(
      z
        .object({
          alert_rule_test: z
            .array(
              z
                .object({
                  alertname: z.string(),
                  eval_time: z.string(),
                  exp_alerts: z.array(z.unknown()).nullish(),
                })
                .passthrough(),
            )
            .default([]),
        })
        .passthrough(),
    )
    .default([]),
});
export type RuleTestFile = z.infer<typeof ruleTestFileSchema>;

export const readRuleTestFile = (path: string): RuleTestFile => readYamlFile(path, ruleTestFileSchema);

export interface RuleTestCoverage {
  /** Alerts with a unit test that expects them to fire. */
  firing: string[];
  /** Alerts with a unit test that expects them to stay quiet. */
  quiet: string[];
}

export function ruleTestCoverage(files: readonly RuleTestFile[]): RuleTestCoverage {
  const firing = new Set<string>();
  const quiet = new Set<string>();
  for (const test of files.flatMap((file) => file.tests.flatMap((group) => group.alert_rule_test))) {
    (test.exp_alerts && test.exp_alerts.length > 0 ? firing : quiet).add(test.alertname);
  }
  return { firing: [...firing], quiet: [...quiet] };
}

/** Rules that no unit test proves can fire, and rules that no unit test proves stay quiet. */
export function untestedRules(rules: readonly AlertRule[], coverage: RuleTestCoverage): { neverFires: string[]; neverQuiet: string[] } {
  const names = [...new Set(rules.map((rule) => rule.alert))];
  return {
    neverFires: names.filter((name) => !coverage.firing.includes(name)),
    neverQuiet: names.filter((name) => !coverage.quiet.includes(name)),
  };
}
