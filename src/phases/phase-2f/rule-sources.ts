import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { receiversFor } from '../../observability/amtool.js';
import { alertRulesIn, type AlertRule } from '../../observability/rule-files.js';
import type { ObservabilitySession } from '../observability-session.js';

/** The alerting templates a 2F run checks: rule files, their unit tests, the routing tree and the runbook. */
export interface RuleSources {
  ruleFiles: string[];
  testFiles: string[];
  rules: AlertRule[];
  alertmanagerConfig: string;
  runbook: string;
}

export function ruleSources(session: ObservabilitySession): RuleSources {
  const prometheusDir = join(session.templatesDir, 'prometheus');
  const list = (dir: string) =>
    readdirSync(join(prometheusDir, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(prometheusDir, dir, name));
  const ruleFiles = list('rules');
  const rules: AlertRule[] = [];
  for (const file of ruleFiles) {
    try {
      rules.push(...alertRulesIn(file));
    } catch {
      // promtool check rules reports an unreadable file with its line; the rules it holds are simply unknown here.
    }
  }
  return {
    ruleFiles,
    testFiles: list('tests'),
    rules,
    alertmanagerConfig: join(session.templatesDir, 'alertmanager', 'alertmanager.yml'),
    runbook: join(prometheusDir, 'runbook.md'),
  };
}

/** The receivers the routing tree names for one alert (with its rule's labels); none when amtool is missing. */
export async function expectedReceivers(session: ObservabilitySession, alertname: string): Promise<string[]> {
  const sources = ruleSources(session);
  const rule = sources.rules.find((candidate) => candidate.alert === alertname);
  if (!rule || !session.tools.amtool) return [];
  return receiversFor(sources.alertmanagerConfig, { alertname, ...rule.labels }, { binary: session.tools.amtool });
}
