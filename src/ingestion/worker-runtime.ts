import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export interface WorkerRuntimeOptions {
  /** host:port for the SDK runtime's Prometheus exporter (`/metrics`); none when undefined. */
  metricsAddress?: string;
  logLevel?: LogLevel;
}

/**
 * Installs the process-wide Temporal runtime once: log level and, for `apex worker`, the Prometheus exporter the
 * observability stack scrapes. Returns false when a runtime was already installed (its settings stay).
 */
export function installWorkerRuntime(options: WorkerRuntimeOptions): boolean {
  if (Runtime._instance) return false;
  const level = options.logLevel ?? 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level),
    telemetryOptions: {
      logging: { filter: { core: level, other: 'ERROR' }, forward: {} },
      ...(options.metricsAddress ? { metrics: { prometheus: { bindAddress: options.metricsAddress } } } : {}),
    },
  });
  return true;
}
