import type { ChalkInstance } from 'chalk';
import type { DoctorReport } from '../doctor/doctor.js';
import type { FindingStatus } from '../doctor/findings.js';
import type { EndpointInfo } from '../stack/endpoints.js';
import type { StatusResult } from '../stack/status.js';
import type { UpResult } from '../stack/up.js';
import { renderTable } from './table.js';

/** How each command's typed result reads for a person; `--json` prints the result itself instead. */

/** Rows for the endpoints table: service, URLs, UI links, credentials. */
export function endpointRows(endpoints: readonly EndpointInfo[]): string[][] {
  return endpoints.map((endpoint) => [
    endpoint.service,
    endpoint.urls
      .filter((url) => !url.ui)
      .map((url) => url.url)
      .join('\n'),
    endpoint.urls
      .filter((url) => url.ui)
      .map((url) => url.url)
      .join('\n'),
    Object.entries(endpoint.credentials)
      .map(([label, value]) => `${label}: ${value}`)
      .join('\n'),
  ]);
}

const ENDPOINT_HEAD = ['service', 'endpoint', 'ui', 'credentials'];

export function upView(result: UpResult, tty: boolean): string {
  return renderTable(ENDPOINT_HEAD, endpointRows(result.endpoints), tty);
}

export function formatUptime(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d${Math.floor((seconds % 86400) / 3600)}h`;
}

export function statusView(result: StatusResult, tty: boolean, color: ChalkInstance): string {
  const rows = result.services.map((status) => {
    const probe = status.probe ? (status.probe.ok ? color.green(`ok ${status.probe.latencyMs} ms`) : color.red(status.probe.error ?? 'failed')) : '-';
    return [
      status.service,
      status.state === 'running' ? color.green(status.state) : color.yellow(status.state),
      status.containerHealth,
      probe,
      status.ports.map((port) => `${port.bindAddress}:${port.host}->${port.container}`).join('\n'),
      formatUptime(status.uptimeSeconds),
      status.image ?? '-',
    ];
  });
  return renderTable(['service', 'state', 'container health', 'probe', 'ports', 'uptime', 'image'], rows, tty);
}

const MARKS: Record<FindingStatus, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' };

export function doctorView(report: DoctorReport, color: ChalkInstance): string {
  const paint: Record<FindingStatus, (text: string) => string> = { ok: color.green, warn: color.yellow, fail: color.red, skip: color.dim };
  const lines = report.findings.map((finding) => {
    const head = `${paint[finding.status](MARKS[finding.status].padEnd(4))} ${finding.check.padEnd(6)} ${finding.subject}: ${finding.message}`;
    return finding.fix && finding.status !== 'ok' ? `${head}\n     fix: ${finding.fix}` : head;
  });
  lines.push(report.ok ? color.green('No problems found.') : color.red('Problems found: fix the FAIL lines above.'));
  return lines.join('\n');
}
