import { Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { loadStack } from '../config/stack-context.js';
import { runIngestionWorker, type WorkerRunResult } from '../ingestion/run-worker.js';
import { createProgress } from '../ui/progress.js';

export default class Worker extends ApexCommand<WorkerRunResult> {
  static override summary = 'Run the reference ingestion worker (DocumentIngestionWorkflow) against the stack.';
  static override description =
    'Serves ingestion.workflowType on ingestion.taskQueue with the real stores. Refuses to start if any activity the workflow calls is not registered under that exact name. ' +
    "Exposes the Temporal SDK metrics for Prometheus (default 127.0.0.1:9464, config ingestion.workerMetricsAddress). S3_ENDPOINT_URL overrides the stack's S3 endpoint. Ctrl-C drains and stops.";
  static override examples = [
    '<%= config.bin %> worker',
    '<%= config.bin %> worker --metrics-address 0.0.0.0:9464',
    'S3_ENDPOINT_URL=http://127.0.0.1:4566 <%= config.bin %> worker',
  ];

  static override flags = {
    'metrics-address': Flags.string({ description: 'host:port for the SDK Prometheus exporter (default: ingestion.workerMetricsAddress).' }),
  };

  async run(): Promise<WorkerRunResult> {
    const { flags } = await this.parse(Worker);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return runIngestionWorker({
      loaded: loadStack({ configFile: flags.config }),
      metricsAddress: flags['metrics-address'],
      progress: createProgress({ quiet: this.jsonEnabled() }),
      signal: controller.signal,
    });
  }
}
