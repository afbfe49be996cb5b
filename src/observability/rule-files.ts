import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { z } from 'zod';

const ruleSchema = z
  .object({
    alert: z.string().optional(),
    record: z.string().optional(),
    expr: z.union([z.string(), z.number()]).transform(String),
    for: z.string().optional(),
    keep_firing_for: z.string().optional(),
    labels: z.record(z.string(), z.string()).default({}),
    annotations: z.record(z.string(), z.string()).default({}),
  })
  .passthrough();

const ruleFileSchema = z.object({
  groups: z.array(
    z
      .object({
        name: z.string(),
        interval: z.string().optional(),
        rules: z.array(ruleSchema).default([]),
      })
      .passthrough(),
  ),
});
export type RuleFile = z.infer<typeof ruleFileSchema>;

export interface AlertRule {
  file: string;
  group: string;
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** What every alert of a rule set must carry, so whoever is paged knows what broke, where, and what to do. */
export interface RuleRequirements {
  labels: readonly string[];
  annotations: readonly string[];
}

/** apex's own rules: a severity to route on, and a summary, a description and a runbook section. */
export const APEX_RULE_REQUIREMENTS: RuleRequirements = { labels: ['severity'], annotations: ['summary', 'description', 'runbook_url'] };

/** Reads a YAML file into a schema; a file that is not valid YAML or not of that shape throws with the file named. */
export function readYamlFile<S extends z.ZodTypeAny>(path: string, schema: S): z.infer<S> {
  const result = schema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** Reads a Prometheus rule file. */
export const readRuleFile = (path: string): RuleFile => readYamlFile(path, ruleFileSchema);

export function alertRulesIn(path: string, file: RuleFile = readRuleFile(path)): AlertRule[] {
  return file.groups.flatMap((group) =>
    group.rules
      .filter((rule): rule is typeof rule & { alert: string } => rule.alert !== undefined)
      .map((rule) => ({
        file: path,
        group: group.name,
        alert: rule.alert,
        expr: rule.expr,
        for: rule.for,
        labels: rule.labels,
        annotations: rule.annotations,
      })),
  );
}

export interface TestTiming {
  /** Replaces every alert's `for:` so a live test does not wait minutes. */
  for: string;
  /** Evaluation interval of every group. */
  interval: string;
}

/** The rule file as the live phase loads it: same expressions and labels, shorter `for:` and interval. */
export function renderRulesForTest(file: RuleFile, timing: TestTiming): string {
  const groups = file.groups.map((group) => ({
    ...group,
    interval: timing.interval,
    rules: group.rules.map((rule) => (rule.alert !== undefined && rule.for !== undefined ? { ...rule, for: timing.for } : rule)),
  }));
  return stringify({ groups }, { lineWidth: 0 });
}
