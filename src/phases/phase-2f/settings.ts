import { z } from 'zod';
import { durationMs, durationSetting } from '../../config/duration.js';

const duration = durationSetting(['ms', 's', 'm']);

/** Phase 2F settings (config `phases['2f']`). */
export const phase2fThresholds = z
  .object({
    /** Every alert's `for:` in the live test's rendering of the rules (the templates keep theirs). */
    testFor: duration.default('5s'),
    /** Scrape and rule evaluation interval of the live Prometheus. */
    interval: duration.default('1s'),
    /** Scrape interval and timeout of the Temporal server (its exposition is large: a short timeout on a busy machine reads as "down"). */
    serverScrapeInterval: duration.default('5s'),
    /** Alertmanager group_wait and group_interval in the live test. */
    notifyDelay: duration.default('1s'),
    /** Allowed on top of `for` + scrape interval for evaluation, Alertmanager and the webhook. */
    deliverySlackSeconds: z.number().nonnegative().default(5),
    resolveTimeoutSeconds: z.number().positive().default(45),
    /** Workflows started at this rate while the worker is stopped and restarted ("under load"). */
    backgroundRatePerSecond: z.number().positive().default(2),
    backgroundWorkflows: z.number().int().positive().default(20),
    /** Successful workflows before the failures, then workflows fed an unsupported document. */
    successfulWorkflows: z.number().int().nonnegative().default(6),
    failingWorkflows: z.number().int().positive().default(12),
    failingRatePerSecond: z.number().positive().default(2),
    /** A project's alert (the contract's `alerts.drive`): from the cause to the notification. */
    fireTimeoutSeconds: z.number().positive().default(90),
    /** Successful workflows before an `idle` drive stops them, so that there is throughput to stop. */
    idleBaselineWorkflows: z.number().int().positive().default(2),
    /** Successful workflows per second while a project's alert must resolve. */
    reliefRatePerSecond: z.number().positive().default(1),
    workerReadySeconds: z.number().positive().default(60),
    workflowTimeoutSeconds: z.number().positive().default(180),
    /** The Alertmanager receiver every alert must avoid (the catch-all). */
    defaultReceiver: z.string().default('apex-default'),
  })
  .strict();
export type Phase2fThresholds = z.infer<typeof phase2fThresholds>;

/** How long an alert may take from its cause to Alertmanager: its `for`, one evaluation, and the slack. */
export const deliveryBudgetMs = (t: Phase2fThresholds): number => durationMs(t.testFor) + durationMs(t.interval) + t.deliverySlackSeconds * 1000;
