import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ApexError } from '../errors.js';
import type { Clock } from '../runtime/poll.js';
import { INSTALL_HINT, type ToolPaths } from './binaries.js';
import { createAlertmanagerApi, type AlertmanagerApi } from './alertmanager-api.js';
import { startAlertWebhook, type AlertWebhook } from './alert-webhook.js';
import { renderAlertmanagerConfig, renderPrometheusConfig, type LiveTiming, type ScrapeTarget } from './live-config.js';
import type { PortAllocator } from '../runtime/ports.js';
import { startNativeProcess, type NativeProcess } from './native-process.js';
import { createPrometheusApi, type PrometheusApi } from './prometheus-api.js';
import { readRuleFile, renderRulesForTest } from './rule-files.js';

export interface LiveStackOptions {
  /** templates/ with prometheus/, alertmanager/. */
  templatesDir: string;
  /** host:port per scrape job, e.g. { temporal: '127.0.0.1:9000', 'apex-worker': '127.0.0.1:40111' }. */
  targets: Readonly<Record<string, string>>;
  timing: LiveTiming;
  /** Every alert's `for:` in the rendered rules. */
  ruleFor: string;
  /** The rule files Prometheus loads instead of templates/prometheus/rules (a project's own). */
  ruleFiles?: readonly string[];
  /** Scrape jobs besides the template's (a project's worker). */
  jobs?: readonly ScrapeTarget[];
  binaries: { prometheus: string; alertmanager: string };
  clock: Clock;
  /** The phase run's allocator: the worker's metrics port comes from it too. */
  ports: PortAllocator;
}

/** A private Prometheus + Alertmanager + webhook listener on free loopback ports, for one phase run. */
export interface LiveStack {
  prometheus: PrometheusApi;
  alertmanager: AlertmanagerApi;
  webhook: AlertWebhook;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** The Prometheus and Alertmanager binaries a live stack runs, or a PROMETHEUS_TOOLS_MISSING error naming what to install. */
export function liveBinaries(tools: ToolPaths): LiveStackOptions['binaries'] {
  if (tools.prometheus && tools.alertmanager) return { prometheus: tools.prometheus, alertmanager: tools.alertmanager };
  const missing = [!tools.prometheus && 'prometheus', !tools.alertmanager && 'alertmanager (prometheus-alertmanager)'].filter(Boolean);
  throw new ApexError('PROMETHEUS_TOOLS_MISSING', `Prometheus tools missing: ${missing.join(', ')} not on PATH.`, `Install them: ${INSTALL_HINT}.`);
}

export async function startLiveStack(options: LiveStackOptions): Promise<LiveStack> {
  const workDir = mkdtempSync(join(tmpdir(), 'apex-observability-'));
  const started: { process?: NativeProcess; webhook?: AlertWebhook }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const entry of started.reverse()) {
      await entry.process?.stop();
      await entry.webhook?.close();
    }
  };
  try {
    const webhook = await startAlertWebhook(() => new Date(options.clock.now()));
    started.push({ webhook });

    const alertmanagerPort = await options.ports.freePort();
    const alertmanagerConfig = join(workDir, 'alertmanager.yml');
    writeFileSync(
      alertmanagerConfig,
      renderAlertmanagerConfig(readFileSync(join(options.templatesDir, 'alertmanager', 'alertmanager.yml'), 'utf8'), webhook.url, options.timing),
    );
    const alertmanager = await startNativeProcess(
      {
        name: 'alertmanager',
        binary: options.binaries.alertmanager,
        args: [
          `--config.file=${alertmanagerConfig}`,
          `--storage.path=${join(workDir, 'alertmanager-data')}`,
          `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
          // No peers: an empty cluster address turns gossip off (and frees port 9094).
          '--cluster.listen-address=',
        ],
        readyUrl: `http://127.0.0.1:${alertmanagerPort}/-/ready`,
        readyTimeoutMs: READY_TIMEOUT_MS,
      },
      options.clock,
    );
    started.push({ process: alertmanager });

    const rulesDir = join(workDir, 'rules');
    mkdirSync(rulesDir);
    const sourceRulesDir = join(options.templatesDir, 'prometheus', 'rules');
    const sources =
      options.ruleFiles ??
      readdirSync(sourceRulesDir)
        .filter((name) => /\.ya?ml$/.test(name))
        .map((name) => join(sourceRulesDir, name));
    // Numbered: two projects' files may share a name.
    const ruleFiles = sources.map((source, index) => {
      const target = join(rulesDir, `${index}-${basename(source)}`);
      writeFileSync(target, renderRulesForTest(readRuleFile(source), { for: options.ruleFor, interval: options.timing.interval }));
      return target;
    });

    const prometheusPort = await options.ports.freePort();
    const prometheusConfig = join(workDir, 'prometheus.yml');
    writeFileSync(
      prometheusConfig,
      renderPrometheusConfig(readFileSync(join(options.templatesDir, 'prometheus', 'prometheus.yml'), 'utf8'), {
        targets: options.targets,
        jobs: options.jobs,
        ruleFiles,
        alertmanager: `127.0.0.1:${alertmanagerPort}`,
        timing: options.timing,
      }),
    );
    const prometheus = await startNativeProcess(
      {
        name: 'prometheus',
        binary: options.binaries.prometheus,
        args: [
          `--config.file=${prometheusConfig}`,
          `--storage.tsdb.path=${join(workDir, 'prometheus-data')}`,
          `--web.listen-address=127.0.0.1:${prometheusPort}`,
        ],
        readyUrl: `http://127.0.0.1:${prometheusPort}/-/ready`,
        readyTimeoutMs: READY_TIMEOUT_MS,
      },
      options.clock,
    );
    started.push({ process: prometheus });

    return {
      prometheus: createPrometheusApi(`http://127.0.0.1:${prometheusPort}`),
      alertmanager: createAlertmanagerApi(`http://127.0.0.1:${alertmanagerPort}`),
      webhook,
      stop: async () => {
        await stopAll();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
