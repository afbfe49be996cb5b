import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import type { temporal } from '@temporalio/proto';
import { describeRpcFailure } from '../services/temporal/rpc-failure.js';

type Failure = temporal.api.failure.v1.IFailure | null | undefined;

/** What a workflow's history says happened: the phases' source of truth for latency, retries and failures. */
export interface HistorySummary {
  workflowId: string;
  startedAt?: number;
  firstWorkflowTaskStartedAt?: number;
  closedAt?: number;
  status: 'completed' | 'failed' | 'timed_out' | 'terminated' | 'canceled' | 'running' | 'missing';
  events: number;
  stateTransitions: number;
  /** Activity name → attempts of its final execution (attempt − 1 retries). */
  activities: { name: string; attempt: number; outcome: 'completed' | 'failed' | 'timed_out' | 'open'; failure?: string; local?: boolean }[];
  localActivities: number;
  activityRetries: number;
  workflowTaskFailures: string[];
  /** The close failure and its causes, outermost first. */
  failure: string[];
  /** Why the history could not be read (status `missing`): the server's status and message. */
  fetchError?: string;
  /** The JSON results of the completed activities asked for by name (the last completion of each). */
  activityResults: Record<string, unknown>;
}

export interface SummaryOptions {
  /** Activities whose JSON results to keep, e.g. the one that returns the document's uuid. */
  activityResults?: readonly string[];
}

/** A JSON payload's value (json/plain, the SDKs' default encoding); undefined for other encodings. */
function jsonPayload(payload: temporal.api.common.v1.IPayload | null | undefined): unknown {
  const encoding = payload?.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString('utf8') : undefined;
  if (encoding !== 'json/plain' || !payload?.data) return undefined;
  try {
    return JSON.parse(Buffer.from(payload.data).toString('utf8'));
  } catch {
    return undefined;
  }
}

const TIMEOUT_NAMES: Record<number, string> = { 1: 'START_TO_CLOSE', 2: 'SCHEDULE_TO_START', 3: 'SCHEDULE_TO_CLOSE', 4: 'HEARTBEAT' };

/** "message [type]" for a failure and each of its causes. */
export function failureChain(failure: Failure): string[] {
  const lines: string[] = [];
  for (let current = failure; current; current = current.cause) {
    const type =
      current.applicationFailureInfo?.type ??
      (current.timeoutFailureInfo
        ? `timeout ${TIMEOUT_NAMES[Number(current.timeoutFailureInfo.timeoutType)] ?? String(current.timeoutFailureInfo.timeoutType)}`
        : current.activityFailureInfo
          ? `activity ${current.activityFailureInfo.activityType?.name ?? ''}`
          : undefined);
    lines.push(`${current.message ?? '(no message)'}${type ? ` [${type}]` : ''}`);
  }
  return lines;
}

/** A local activity's marker: its name and attempt are JSON in details.data (the SDK core's format). */
function localActivityMarker(marker: temporal.api.history.v1.IMarkerRecordedEventAttributes): HistorySummary['activities'][number] | undefined {
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; attempt?: number };
    const failure = marker.failure ? failureChain(marker.failure).join(' ← ') : undefined;
    return { name: parsed.activity_type ?? '?', attempt: parsed.attempt ?? 1, outcome: failure ? 'failed' : 'completed', failure, local: true };
  } catch {
    return undefined;
  }
}

export function summariseHistory(
  workflowId: string,
  history: temporal.api.history.v1.IHistory,
  stateTransitions = 0,
  options: SummaryOptions = {},
): HistorySummary {
  const summary: HistorySummary = {
    workflowId,
    status: 'running',
    events: 0,
    stateTransitions,
    activities: [],
    localActivities: 0,
    activityRetries: 0,
    workflowTaskFailures: [],
    failure: [],
    activityResults: {},
  };
  const scheduled = new Map<string, string>();
  const byScheduledId = new Map<string, HistorySummary['activities'][number]>();
  for (const event of history.events ?? []) {
    summary.events++;
    const at = optionalTsToMs(event.eventTime);
    const id = String(event.eventId);
    if (event.workflowExecutionStartedEventAttributes) summary.startedAt = at;
    else if (event.workflowTaskStartedEventAttributes) summary.firstWorkflowTaskStartedAt ??= at;
    else if (event.workflowTaskFailedEventAttributes) summary.workflowTaskFailures.push(...failureChain(event.workflowTaskFailedEventAttributes.failure));
    else if (event.activityTaskScheduledEventAttributes) scheduled.set(id, event.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    else if (event.activityTaskStartedEventAttributes) {
      const attributes = event.activityTaskStartedEventAttributes;
      const scheduledId = String(attributes.scheduledEventId);
      const activity = {
        name: scheduled.get(scheduledId) ?? '?',
        attempt: attributes.attempt ?? 1,
        outcome: 'open' as const,
        failure: attributes.lastFailure ? failureChain(attributes.lastFailure).join(' ← ') : undefined,
      };
      byScheduledId.set(scheduledId, activity);
      summary.activities.push(activity);
    } else if (event.activityTaskCompletedEventAttributes) {
      const activity = byScheduledId.get(String(event.activityTaskCompletedEventAttributes.scheduledEventId));
      if (activity) activity.outcome = 'completed';
      if (activity && options.activityResults?.includes(activity.name)) {
        summary.activityResults[activity.name] = jsonPayload(event.activityTaskCompletedEventAttributes.result?.payloads?.[0]);
      }
    } else if (event.activityTaskFailedEventAttributes) {
      const activity = byScheduledId.get(String(event.activityTaskFailedEventAttributes.scheduledEventId));
      if (activity) Object.assign(activity, { outcome: 'failed', failure: failureChain(event.activityTaskFailedEventAttributes.failure).join(' ← ') });
    } else if (event.activityTaskTimedOutEventAttributes) {
      const activity = byScheduledId.get(String(event.activityTaskTimedOutEventAttributes.scheduledEventId));
      if (activity) Object.assign(activity, { outcome: 'timed_out', failure: failureChain(event.activityTaskTimedOutEventAttributes.failure).join(' ← ') });
    } else if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      summary.localActivities++;
      const local = localActivityMarker(event.markerRecordedEventAttributes);
      if (local) summary.activities.push(local);
    } else if (event.workflowExecutionCompletedEventAttributes) Object.assign(summary, { status: 'completed', closedAt: at });
    else if (event.workflowExecutionFailedEventAttributes)
      Object.assign(summary, { status: 'failed', closedAt: at, failure: failureChain(event.workflowExecutionFailedEventAttributes.failure) });
    else if (event.workflowExecutionTimedOutEventAttributes)
      Object.assign(summary, { status: 'timed_out', closedAt: at, failure: ['workflow execution timed out [WorkflowExecutionTimedOut]'] });
    else if (event.workflowExecutionTerminatedEventAttributes)
      Object.assign(summary, {
        status: 'terminated',
        closedAt: at,
        failure: [`terminated: ${event.workflowExecutionTerminatedEventAttributes.reason ?? ''} [Terminated]`],
      });
    else if (event.workflowExecutionCanceledEventAttributes) Object.assign(summary, { status: 'canceled', closedAt: at });
  }
  summary.activityRetries = summary.activities.reduce((total, activity) => total + Math.max(0, activity.attempt - 1), 0);
  return summary;
}

/** What fetching histories needs of a Temporal client. */
export interface HistorySource {
  workflow: {
    getHandle(workflowId: string): {
      fetchHistory(): Promise<temporal.api.history.v1.IHistory>;
      describe(): Promise<{ raw: { workflowExecutionInfo?: { stateTransitionCount?: unknown } | null } }>;
    };
  };
}

/** Fetches and summarises histories, a few at a time so that verification does not flood the server. */
export async function fetchHistorySummaries(
  client: HistorySource,
  workflowIds: readonly string[],
  options: SummaryOptions = {},
  parallel = 16,
): Promise<Map<string, HistorySummary>> {
  const out = new Map<string, HistorySummary>();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < workflowIds.length) {
      const workflowId = workflowIds[next++];
      const handle = client.workflow.getHandle(workflowId);
      try {
        const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
        out.set(workflowId, summariseHistory(workflowId, history, Number(description.raw.workflowExecutionInfo?.stateTransitionCount ?? 0), options));
      } catch (error) {
        out.set(workflowId, {
          workflowId,
          status: 'missing',
          events: 0,
          stateTransitions: 0,
          activities: [],
          localActivities: 0,
          activityRetries: 0,
          workflowTaskFailures: [],
          failure: [],
          fetchError: describeRpcFailure(error),
          activityResults: {},
        });
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return out;
}
