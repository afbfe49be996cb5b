import type { Signature } from './knowledge-base.js';

/**
 * Failure signatures of phases 2E and 2F. Their evidence summaries start with fixed words (see
 * src/observability/metric-checks.ts EVIDENCE and rule-checks.ts RULE_EVIDENCE), so these match only that evidence
 * and go before the generic signatures (a scrape error's "connection refused" is not a store being down).
 */
export const OBSERVABILITY_SIGNATURES: readonly Signature[] = [
  {
    id: 'prometheus-tools-missing',
    title: 'Prometheus tools missing',
    pattern: /^Prometheus tools missing|PROMETHEUS_TOOLS_MISSING/,
    cause: 'Phases 2E and 2F run Prometheus, Alertmanager, promtool and amtool themselves, and one of them is not on PATH.',
    fix: 'Install them: `apt-get install prometheus prometheus-alertmanager` (Debian/Ubuntu), or put the upstream binaries on PATH.',
  },
  {
    id: 'scrape-target-down',
    title: 'Scrape target down',
    pattern: /^Scrape target down/,
    cause:
      'Prometheus cannot scrape a metrics endpoint: the process is not running, listens elsewhere, or the address in prometheus.yml is wrong. Every metric, panel and alert of that job is blind.',
    fix: (at) =>
      `Temporal: serve its metrics on ${at.temporalMetrics} (the dev server's \`--metrics-port\`; \`apex status\` shows the ports). Worker: run \`apex worker\` (metrics on ingestion.workerMetricsAddress, default 127.0.0.1:9464) and make the \`apex-worker\` job in templates/prometheus/prometheus.yml point at it.`,
  },
  {
    id: 'metric-renamed',
    title: 'Metric renamed (SDK version or exporter options)',
    pattern: /^Metric renamed/,
    cause:
      'A required metric is missing but a near-identical name is exposed: the SDK or server version renamed it, or the exporter adds suffixes (Core SDK options countersTotalSuffix → `_total`, unitSuffix / useSecondsForDurations → `_milliseconds`/`_seconds`). Dashboards and rules written for the old name silently show nothing.',
    fix: 'Use the name the evidence shows in phases.2e.requiredMetrics, templates/prometheus/rules and the Grafana dashboard, or restore the exporter options the templates assume (defaults: no suffixes, milliseconds).',
  },
  {
    id: 'metric-missing',
    title: 'Required metric not exposed',
    pattern: /^Metric not exposed/,
    cause:
      'Neither the Temporal server nor the worker exposes a metric the phase requires, nor anything with a similar name: a typo in phases.2e.requiredMetrics, a metric this version does not have, or one the load never triggered.',
    fix: (at) =>
      `Check the name against the endpoint (\`curl -s ${at.temporalMetrics}/metrics | grep NAME\`, or the worker's /metrics); fix or remove it in phases.2e.requiredMetrics.`,
  },
  {
    id: 'metric-not-as-catalogued',
    title: 'Metric not as the worker contract catalogues it',
    pattern: /^Metric not as the contract catalogues it/,
    cause:
      "The worker exposes a metric of the contract's catalogue without a HELP text, with another TYPE, or without a label the contract lists: dashboards and alerts written for the documented shape read nothing or the wrong thing.",
    fix: "Fix the metric's definition in the worker (its HELP, type and labels), or the contract's `metrics` entry if the worker's documentation changed.",
  },
  {
    id: 'counter-did-not-move',
    title: 'Counter did not move as the workload implies',
    pattern: /^Counter did not move as the workload implies/,
    cause:
      'A workload of known size ran, and a counter the contract says it moves moved by another amount: the worker increments it in the wrong place (or not at all, or twice), or records it under other label values.',
    fix: "Compare the evidence's before/after values with the workload's counts; fix where the worker increments the counter, or the contract's `moves` if the expectation is wrong.",
  },
  {
    id: 'metric-not-scraped',
    title: 'Metric exposed but not in Prometheus',
    pattern: /^Metric not in Prometheus/,
    cause:
      'Prometheus holds no samples of the metric under the job that should scrape it: the target is down, the job is named differently, or relabelling drops it.',
    fix: 'Look at Prometheus /targets; job names must be `temporal` and `apex-worker` (the rules and dashboards select on them).',
  },
  {
    id: 'dashboard-query-error',
    title: 'Dashboard query does not evaluate',
    pattern: /^Dashboard query error/,
    cause:
      'Prometheus rejects a Grafana panel query (syntax, an unknown function, a variable Grafana would fill and Prometheus cannot): the panel shows an error.',
    fix: "Fix the expression in templates/grafana/dashboards/*.json; the evidence has the query as sent and Prometheus's error.",
  },
  {
    id: 'dashboard-query-no-data',
    title: 'Dashboard query returns no data',
    pattern: /^Dashboard query returned no data/,
    cause:
      'A panel query evaluates but returns nothing after a load that should have fed it: it selects a metric or label that does not exist (renamed metric, wrong job or label), so the panel is empty exactly when it is needed.',
    fix: "Compare the metric and labels in the evidence with the endpoint's /metrics; fix the query in templates/grafana/dashboards/*.json.",
  },
  {
    id: 'grafana-dashboard-missing',
    title: 'Grafana dashboard not provisioned',
    pattern: /^Dashboard not provisioned/,
    cause: 'Grafana runs but does not have the ingestion dashboard: the provisioning folder is not mounted, or the provider path does not match.',
    fix: 'Mount templates/grafana at /etc/grafana/provisioning (the grafana service definition does) and keep the provider path in templates/grafana/dashboards/apex.yml; `apex up --profile observability` recreates it.',
  },
  {
    id: 'rule-never-fires',
    title: 'Alert rule over a metric that does not exist (never fires)',
    pattern: /^Alert rule selects a metric that does not exist|^Alert reads a metric the worker does not serve|^Alert never fired|^Rule has no unit test/,
    cause:
      'An alert rule selects a metric Prometheus does not have (a typo or a renamed metric), or was never shown to fire: it evaluates to nothing and can never fire, and nothing says so.',
    fix: 'Fix the metric name in templates/prometheus/rules (the evidence suggests the close one), and keep a promtool unit test in templates/prometheus/tests that makes every rule fire.',
  },
  {
    id: 'rule-syntax-error',
    title: 'Alert rule syntax error',
    pattern: /^Rule syntax error/,
    cause: 'A rule file does not load (YAML) or an expression does not parse: Prometheus refuses the whole file, so none of its alerts are evaluated.',
    fix: 'Fix the rule at the file and line in the evidence; check with `promtool check rules templates/prometheus/rules/*.yml`.',
  },
  {
    id: 'rule-unit-test-failed',
    title: 'Alert rule unit test failed',
    pattern: /^Rule unit test failed/,
    cause: 'A promtool unit test expects different alerts (labels, annotations or timing) than the rule produces: the rule or its test is wrong.',
    fix: 'Run `promtool test rules templates/prometheus/tests/*.yml` and compare exp/got in the evidence; fix the rule, or the test if the change was intended.',
  },
  {
    id: 'rule-annotations-incomplete',
    title: 'Alert rule without summary, description or runbook',
    pattern: /^Rule annotations incomplete/,
    cause: 'Whoever is paged gets an alert that does not say what broke or what to do.',
    fix: "Give the rule the annotations and labels the evidence names (apex's rules: summary, description, runbook_url, severity and a section in templates/prometheus/runbook.md; a contract's `alerts.labels` and `alerts.annotations` for a project's rules).",
  },
  {
    id: 'alert-misrouted',
    title: 'Alert routed to the wrong receiver',
    pattern: /^Alert routed to the wrong receiver/,
    cause: "Alertmanager's routing tree sends the alert to another receiver than intended (or to the catch-all): the right people are not notified.",
    fix: "Fix the matchers under route.routes in templates/alertmanager/alertmanager.yml (or the rule's severity label); check with `amtool config routes test --config.file=templates/alertmanager/alertmanager.yml severity=critical`.",
  },
  {
    id: 'alert-not-delivered',
    title: 'Alert fired but was not delivered in time',
    pattern: /^Alert not delivered|^Alert did not resolve/,
    cause:
      'Prometheus fired the alert, but it reached Alertmanager or the receiver late or not at all (alerting config, group_wait, an inhibit rule, send_resolved off), or it did not resolve once the cause was gone.',
    fix: 'Check `alerting.alertmanagers` in prometheus.yml, route timings and inhibit_rules in alertmanager.yml, and `send_resolved: true` on the receiver.',
  },
];
