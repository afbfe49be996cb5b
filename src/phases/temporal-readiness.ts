import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_NAMES } from '../config/search-attributes.js';
import { describeRpcFailure } from '../services/temporal/rpc-failure.js';
import type { FailureEvidence } from '../results/run-result.js';

/** The two questions a phase asks Temporal before its first workflow, as plain calls a test can answer. */
export interface NamespaceQueries {
  listSearchAttributes(request: { namespace: string }): Promise<{ customAttributes?: Record<string, unknown> | null }>;
  describeTaskQueue(request: { namespace: string; taskQueue: { name: string }; taskQueueType: number }): Promise<{ pollers?: unknown[] | null }>;
}

export const namespaceQueriesOf = (client: Client): NamespaceQueries => ({
  listSearchAttributes: (request) => client.connection.operatorService.listSearchAttributes(request),
  describeTaskQueue: (request) => client.workflowService.describeTaskQueue(request),
});

/** A request the server did not answer: its gRPC status and message, never mistaken for a "no". */
export const rpcFailureEvidence = (call: string, namespace: string, error: unknown): FailureEvidence => ({
  source: 'client',
  summary: `Temporal RPC ${call} failed in namespace ${namespace}: ${describeRpcFailure(error)}`,
  lines: [`${call}: ${describeRpcFailure(error)}`],
  workflows: 0,
});

/** Whether apex's search attributes are registered; a request that fails is evidence, not "not registered". */
export async function searchAttributesRegistered(
  queries: NamespaceQueries,
  namespace: string,
): Promise<{ registered: boolean } | { evidence: FailureEvidence }> {
  try {
    const custom = (await queries.listSearchAttributes({ namespace })).customAttributes ?? {};
    return { registered: SEARCH_ATTRIBUTE_NAMES.every((name) => name in custom) };
  } catch (error) {
    return { evidence: rpcFailureEvidence('ListSearchAttributes', namespace, error) };
  }
}

/**
 * Evidence when no worker serves the queue an external worker should poll: either the server lists no pollers, or
 * it could not be asked (then the status says why). Undefined when a worker polls.
 */
export async function externalWorkerEvidence(queries: NamespaceQueries, namespace: string, taskQueue: string): Promise<FailureEvidence | undefined> {
  let pollers: unknown[];
  try {
    const response = await queries.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    pollers = response.pollers ?? [];
  } catch (error) {
    return rpcFailureEvidence(`DescribeTaskQueue(${taskQueue})`, namespace, error);
  }
  if (pollers.length > 0) return undefined;
  return {
    source: 'worker',
    summary: `no worker is polling task queue ${taskQueue} in namespace ${namespace}`,
    lines: [`--external-worker was given, and DescribeTaskQueue(${taskQueue}) lists no pollers`],
    workflows: 0,
  };
}
