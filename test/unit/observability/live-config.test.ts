import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../../src/config/stack-context.js';
import { renderAlertmanagerConfig, renderPrometheusConfig, scrapeTarget } from '../../../src/observability/live-config.js';
import { renderRulesForTest, readRuleFile } from '../../../src/observability/rule-files.js';

const timing = { interval: '1s', notifyDelay: '1s' };

describe('renderPrometheusConfig', () => {
  const template = readFileSync(join(TEMPLATES_DIR, 'prometheus', 'prometheus.yml'), 'utf8');

  it('keeps the template jobs apex scrapes, points them at the real endpoints and shortens intervals', () => {
    const rendered = parse(
      renderPrometheusConfig(template, {
        targets: { temporal: '127.0.0.1:9000', 'apex-worker': '127.0.0.1:40000' },
        ruleFiles: ['/tmp/r/a.yml'],
        alertmanager: '127.0.0.1:41000',
        timing,
      }),
    );
    expect(rendered.global).toMatchObject({ scrape_interval: '1s', evaluation_interval: '1s' });
    expect(rendered.rule_files).toEqual(['/tmp/r/a.yml']);
    expect(rendered.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:41000']);
    expect(
      rendered.scrape_configs.map((job: { job_name: string; static_configs: { targets: string[] }[] }) => [job.job_name, job.static_configs[0].targets[0]]),
    ).toEqual([
      ['temporal', '127.0.0.1:9000'],
      ['apex-worker', '127.0.0.1:40000'],
    ]);
  });

  it("adds a project's own job (its worker's metrics URL) beside the template's, and refuses one given twice", () => {
    const setup = { targets: {}, ruleFiles: [], alertmanager: 'x:1', timing, jobs: [scrapeTarget('apex-temporal-worker', 'http://127.0.0.1:9091/custom')] };
    const rendered = parse(renderPrometheusConfig(template, setup));
    expect(rendered.scrape_configs).toEqual([
      {
        job_name: 'apex-temporal-worker',
        metrics_path: '/custom',
        scrape_interval: '1s',
        scrape_timeout: '1s',
        static_configs: [{ targets: ['127.0.0.1:9091'] }],
      },
    ]);
    expect(() =>
      renderPrometheusConfig(template, { ...setup, targets: { temporal: '127.0.0.1:1' }, jobs: [scrapeTarget('temporal', 'http://127.0.0.1:2/metrics')] }),
    ).toThrow(/scrape job "temporal" is given twice/);
  });

  it('refuses a template without a job the rules select on', () => {
    expect(() => renderPrometheusConfig('scrape_configs:\n  - job_name: temporal\n', { targets: {}, ruleFiles: [], alertmanager: 'x:1', timing })).toThrow(
      /no scrape job "apex-worker"/,
    );
  });
});

describe('renderAlertmanagerConfig', () => {
  it('keeps the routing tree, sends every receiver to the apex webhook only, and shortens grouping', () => {
    const template = readFileSync(join(TEMPLATES_DIR, 'alertmanager', 'alertmanager.yml'), 'utf8');
    const original = parse(template);
    const rendered = parse(renderAlertmanagerConfig(template, 'http://127.0.0.1:5000', timing));
    expect(rendered.route.receiver).toBe(original.route.receiver);
    expect(rendered.route.routes.map((route: { matchers: string[] }) => route.matchers)).toEqual(
      original.route.routes.map((route: { matchers: string[] }) => route.matchers),
    );
    expect(rendered.route).toMatchObject({ group_wait: '1s', group_interval: '1s' });
    expect(rendered.inhibit_rules).toEqual(original.inhibit_rules);
    for (const receiver of rendered.receivers) {
      expect(receiver.webhook_configs).toEqual([{ url: `http://127.0.0.1:5000/${receiver.name}`, send_resolved: true }]);
    }
  });

  it('drops the template channels a test must not use', () => {
    const template = 'route:\n  receiver: mail\nreceivers:\n  - name: mail\n    email_configs:\n      - to: oncall@example.org\n';
    expect(parse(renderAlertmanagerConfig(template, 'http://h:1', timing)).receivers).toEqual([
      { name: 'mail', webhook_configs: [{ url: 'http://h:1/mail', send_resolved: true }] },
    ]);
  });
});

describe('renderRulesForTest', () => {
  it('shortens every alert "for" and the group interval, and keeps expressions and labels', () => {
    const file = readRuleFile(join(TEMPLATES_DIR, 'prometheus', 'rules', 'apex-alerts.yml'));
    const rendered = parse(renderRulesForTest(file, { for: '5s', interval: '1s' }));
    const originalRules = file.groups.flatMap((group) => group.rules);
    const renderedRules = rendered.groups.flatMap((group: { rules: unknown[] }) => group.rules);
    expect(renderedRules).toHaveLength(originalRules.length);
    renderedRules.forEach((rule: { for: string; expr: string; labels: unknown }, index: number) => {
      expect(rule.for).toBe('5s');
      expect(rule.expr).toBe(originalRules[index].expr);
      expect(rule.labels).toEqual(originalRules[index].labels);
    });
    expect(rendered.groups.every((group: { interval: string }) => group.interval === '1s')).toBe(true);
  });
});

describe('renderPrometheusConfig job intervals', () => {
  it('scrapes the jobs given their own interval, with a timeout as long', () => {
    const template = readFileSync(join(TEMPLATES_DIR, 'prometheus', 'prometheus.yml'), 'utf8');
    const rendered = parse(
      renderPrometheusConfig(template, {
        targets: { temporal: 't:1', 'apex-worker': 'w:2' },
        ruleFiles: [],
        alertmanager: 'a:3',
        timing: { ...timing, jobIntervals: { temporal: '5s' } },
      }),
    );
    expect(rendered.scrape_configs.map((job: { scrape_interval: string; scrape_timeout: string }) => [job.scrape_interval, job.scrape_timeout])).toEqual([
      ['5s', '5s'],
      ['1s', '1s'],
    ]);
  });
});
