import { SCRAPE_JOBS } from '../observability/metric-catalogue.js';
import type { PhaseDefinition } from './phase-definition.js';
import { phase2d } from './phase-2d.js';
import { openObservabilityEnvironment } from './observability-tests.js';
import { liveAlertTests } from './phase-2f/live-tests.js';
import { withLiveAlertRun } from './phase-2f/live-alert-run.js';
import { ruleTests } from './phase-2f/rule-tests.js';
import { phase2fThresholds } from './phase-2f/settings.js';
import { parseThresholds } from './thresholds.js';

export const phase2f: PhaseDefinition<typeof phase2fThresholds> = {
  id: '2f',
  title: 'Phase 2F: Alert Validation',
  description: 'The alert rules pass promtool and their unit tests, and live alerts fire, reach Alertmanager, route and resolve.',
  // The reference worker writes to every store, as in 2D.
  services: phase2d.services,
  thresholds: phase2fThresholds,
  nextStep: 'Metrics and alerts are proven: the observability profile can be relied on (`apex up --profile observability`).',
  drivesReferenceWorker: true,
  openEnvironment: async (loaded, run) => {
    const settings = parseThresholds(loaded.config, '2f', phase2fThresholds);
    const timing = { interval: settings.interval, notifyDelay: settings.notifyDelay, jobIntervals: { [SCRAPE_JOBS.temporal]: settings.serverScrapeInterval } };
    const opened = await openObservabilityEnvironment(loaded, { timing, ruleFor: settings.testFor, workerReadySeconds: settings.workerReadySeconds }, run);
    return { ...opened, environment: withLiveAlertRun(opened.environment) };
  },
  tests: [...ruleTests, ...liveAlertTests],
};
