import { Context } from '@temporalio/activity';
import type { ActivityName, Compensation, StoreName } from '../../results/ingestion-contract.js';
import type { StoreWriter } from '../../results/store-writer.js';
import type { ActivityDeps } from './deps.js';

type WriteActivity<T> = (input: T) => Promise<void>;

function writeActivity<T extends { document: { runId: string } }>(deps: ActivityDeps, name: ActivityName, writer: StoreWriter<T>): WriteActivity<T> {
  return async (input) => {
    deps.faults.check(name, input.document.runId, Context.current().info.attempt);
    await writer.write(input);
  };
}

function compensateActivity(deps: ActivityDeps, name: ActivityName, writer: StoreWriter<never>): WriteActivity<Compensation> {
  return async (target) => {
    deps.faults.check(name, target.runId, Context.current().info.attempt);
    await writer.compensate(target);
  };
}

/** write_<store> and compensate_<store> for the four stores, over whichever writers the worker was given. */
export function createStoreWriteActivities(deps: ActivityDeps) {
  const { postgres, neo4j, qdrant, redis } = deps.stores;
  const compensate = (store: StoreName) => compensateActivity(deps, `compensate_${store}`, deps.stores[store] as StoreWriter<never>);
  return {
    write_postgres: writeActivity(deps, 'write_postgres', postgres),
    write_neo4j: writeActivity(deps, 'write_neo4j', neo4j),
    write_qdrant: writeActivity(deps, 'write_qdrant', qdrant),
    write_redis: writeActivity(deps, 'write_redis', redis),
    compensate_postgres: compensate('postgres'),
    compensate_neo4j: compensate('neo4j'),
    compensate_qdrant: compensate('qdrant'),
    compensate_redis: compensate('redis'),
  };
}
