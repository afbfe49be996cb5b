import type { TemplateValue } from '../contracts/render.js';
import type { WorkerContract } from '../contracts/schema.js';
import { resolveEndpoint, serviceByName } from './catalog.js';
import { httpBaseUrl } from './http-probe.js';
import { temporalApiKey } from '../config/temporal-auth.js';
import { temporalAddress } from './temporal/client.js';
import type { StackContext } from './service.js';

const ENDPOINT_SERVICES = ['postgres', 'neo4j', 'qdrant', 'redis', 's3', 'temporal'] as const;

/**
 * The stack's endpoints and credentials as the template variables of a contract's `worker` section
 * (`{postgres.host}`, `{neo4j.port}`, `{s3.endpointUrl}`, …); `{port}` is each service's first port.
 * The run adds `{runId}`, `{phase}`, `{bucket}`, `{prefix}` and `{folder}`.
 */
export function stackVariables(stack: StackContext, contract: Pick<WorkerContract, 'temporal' | 'postgresDatabase'>): Record<string, TemplateValue> {
  const { temporal } = contract;
  const { config, credentials } = stack;
  const endpoint = (name: (typeof ENDPOINT_SERVICES)[number]) => resolveEndpoint(config, serviceByName(name));
  const vars: Record<string, TemplateValue> = {};
  for (const name of ENDPOINT_SERVICES) {
    const service = serviceByName(name);
    vars[`${name}.host`] = endpoint(name).host;
    vars[`${name}.port`] = endpoint(name).ports[service.ports[0].name];
  }
  return {
    ...vars,
    'postgres.user': credentials.postgresUser,
    'postgres.password': credentials.postgresPassword,
    'postgres.database': contract.postgresDatabase ?? credentials.postgresDb,
    'neo4j.user': credentials.neo4jUser,
    'neo4j.password': credentials.neo4jPassword,
    'qdrant.url': httpBaseUrl(endpoint('qdrant')),
    'qdrant.apiKey': credentials.qdrantApiKey,
    'redis.password': credentials.redisPassword,
    's3.endpointUrl': httpBaseUrl(endpoint('s3')),
    's3.accessKeyId': credentials.awsAccessKeyId,
    's3.secretAccessKey': credentials.awsSecretAccessKey,
    's3.region': credentials.awsRegion,
    'temporal.address': temporalAddress(endpoint('temporal')),
    'temporal.namespace': temporal.namespace,
    'temporal.taskQueue': temporal.taskQueue,
    'temporal.apiKey': temporalApiKey(config, credentials) ?? '',
  };
}
