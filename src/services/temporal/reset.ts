import { createTemporalClient } from './client.js';
import type { ClearReport, StoreContext } from '../operations.js';
import { namespaceOf, withTemporal } from './probe.js';

const TERMINATE_CONCURRENCY = 20;

/** Terminates the namespace's open workflows; their histories stay (Temporal's retention removes them). */
export const clearTemporal = (ctx: StoreContext): Promise<ClearReport> =>
  withTemporal(ctx, async (connection) => {
    const namespace = namespaceOf(ctx);
    const client = createTemporalClient(connection, namespace);
    const open: { workflowId: string; runId: string }[] = [];
    for await (const execution of client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
      open.push({ workflowId: execution.workflowId, runId: execution.runId });
    }
    let terminated = 0;
    for (let start = 0; start < open.length; start += TERMINATE_CONCURRENCY) {
      const batch = open.slice(start, start + TERMINATE_CONCURRENCY);
      const results = await Promise.allSettled(batch.map(({ workflowId, runId }) => client.workflow.getHandle(workflowId, runId).terminate('apex reset')));
      // A workflow that completed between the listing and the call is fine; anything else is not.
      const failed = results.find((result) => result.status === 'rejected' && !/not found|already completed/i.test(String(result.reason)));
      if (failed?.status === 'rejected') throw failed.reason;
      terminated += results.filter((result) => result.status === 'fulfilled').length;
    }
    return { cleared: [`terminated ${terminated} open workflows in ${namespace}`] };
  });
