import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { receiversFor } from '../../observability/amtool.js';
import { alertRulesIn, type AlertRule } from '../../observability/rule-files.js';
import type { Alerting } from './alerting.js';

/** The alerting files a 2F run checks: rule files, their unit tests, the routing tree and the runbook. */
export interface RuleSources {
  ruleFiles: string[];
  testFiles: string[];
  rules: AlertRule[];
  alertmanagerConfig: string;
  /** The runbook whose sections runbook_url must point at; undefined when the rules' runbook is not apex's to read. */
  runbook?: string;
}

function readRules(ruleFiles: readonly string[]): AlertRule[] {
  const rules: AlertRule[] = [];
  for (const file of ruleFiles) {
    try {
      rules.push(...alertRulesIn(file));
    } catch {
      // promtool check rules reports an unreadable file with its line; the rules it holds are simply unknown here.
    }
  }
  return rules;
}

/** apex's own rules, their unit tests and runbook under templates/prometheus. */
export function templateRuleSources(templatesDir: string): RuleSources {
  const prometheusDir = join(templatesDir, 'prometheus');
  const list = (dir: string) =>
    readdirSync(join(prometheusDir, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(prometheusDir, dir, name));
  const ruleFiles = list('rules');
  return {
    ruleFiles,
    testFiles: list('tests'),
    rules: readRules(ruleFiles),
    alertmanagerConfig: join(templatesDir, 'alertmanager', 'alertmanager.yml'),
    runbook: join(prometheusDir, 'runbook.md'),
  };
}

/** A project's own rule files and unit tests, routed by apex's routing tree. */
export function projectRuleSources(ruleFiles: string[], testFiles: string[], templatesDir: string): RuleSources {
  return { ruleFiles, testFiles, rules: readRules(ruleFiles), alertmanagerConfig: join(templatesDir, 'alertmanager', 'alertmanager.yml') };
}

/** The receivers the routing tree names for one alert (with its rule's labels); none when amtool is missing. */
export async function expectedReceivers(alerting: Alerting, alertname: string): Promise<string[]> {
  const rule = alerting.sources.rules.find((candidate) => candidate.alert === alertname);
  if (!rule || !alerting.tools.amtool) return [];
  return receiversFor(alerting.sources.alertmanagerConfig, { alertname, ...rule.labels }, { binary: alerting.tools.amtool });
}
