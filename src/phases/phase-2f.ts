import { SCRAPE_JOBS } from '../observability/metric-catalogue.js';
import type { PhaseDefinition } from './phase-definition.js';
import { phase2d } from './phase-2d.js';
import { observabilityOf } from './observability-session.js';
import { openObservabilityEnvironment } from './observability-tests.js';
import { openProjectAlerting, templateAlerting, withAlerting } from './phase-2f/alerting.js';
import { liveAlertTests } from './phase-2f/live-tests.js';
import { withLiveAlertRun } from './phase-2f/live-alert-run.js';
import { projectAlertTests } from './phase-2f/project-alerts.js';
import { ruleTests } from './phase-2f/rule-tests.js';
import { phase2fThresholds } from './phase-2f/settings.js';
import { parseThresholds } from './thresholds.js';

export const phase2f: PhaseDefinition<typeof phase2fThresholds> = {
  id: '2f',
  title: 'Phase 2F: Alert Validation',
  description:
    "The alert rules (apex's, or the project's own that the worker contract names) pass promtool and their checks, and live alerts fire, reach Alertmanager, route and resolve.",
  // The worker writes to every store, as in 2D.
  services: phase2d.services,
  thresholds: phase2fThresholds,
  nextStep: 'Metrics and alerts are proven: the observability profile can be relied on (`apex up --profile observability`).',
  openEnvironment: async (loaded, run) => {
    const settings = parseThresholds(loaded.config, '2f', phase2fThresholds);
    const timing = { interval: settings.interval, notifyDelay: settings.notifyDelay, jobIntervals: { [SCRAPE_JOBS.temporal]: settings.serverScrapeInterval } };
    const observability = { timing, ruleFor: settings.testFor, workerReadySeconds: settings.workerReadySeconds };
    // A contract with rules of its own: they are checked and driven with the worker under test, not apex's.
    const alerts = run.contract.alerts;
    if (alerts) {
      const opened = await openProjectAlerting(loaded, alerts, observability, run);
      return { ...opened, environment: withLiveAlertRun(opened.environment) };
    }
    const opened = await openObservabilityEnvironment(loaded, observability, run);
    const environment = withAlerting(opened.environment, templateAlerting(observabilityOf(opened.environment)));
    return { ...opened, environment: withLiveAlertRun(environment) };
  },
  tests: [...ruleTests, ...liveAlertTests, ...projectAlertTests],
};
