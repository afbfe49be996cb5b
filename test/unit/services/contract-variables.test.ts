import { describe, expect, it } from 'vitest';
import { readCredentials } from '../../../src/config/credentials.js';
import { parseConfigText } from '../../../src/config/load-config.js';
import { renderEnvironment } from '../../../src/contracts/render.js';
import { STACK_VARIABLES } from '../../../src/contracts/schema.js';
import { stackVariables } from '../../../src/services/contract-variables.js';
import type { StackContext } from '../../../src/services/service.js';

const env = { POSTGRES_PASSWORD: 'pg-secret', NEO4J_PASSWORD: 'neo-secret', REDIS_PASSWORD: 'redis-secret', GRAFANA_ADMIN_PASSWORD: 'g' };

describe("a contract's worker environment from the stack", () => {
  const config = parseConfigText(
    'runtime: external\nservices:\n  neo4j:\n    host: graph.internal\n    ports: { bolt: 17687 }\ncontract: apex-memory\n',
    'apex.config.yaml',
  );
  const stack: StackContext = { config, credentials: readCredentials(env, '.env'), projectDir: '/p', templatesDir: '/t', env: {} };
  const vars = stackVariables(stack, config.contract);

  it('gives every stack variable a contract may use, besides the ones the run adds', () => {
    const runVariables = ['runId', 'phase', 'bucket', 'prefix', 'folder'];
    expect(Object.keys(vars).sort()).toEqual(STACK_VARIABLES.filter((name) => !runVariables.includes(name)).sort());
  });

  it("maps the stack onto the variables the team's worker reads", () => {
    const rendered = renderEnvironment(config.contract.worker?.env ?? {}, { ...vars, bucket: 'apex-documents-test' });
    expect(rendered).toMatchObject({
      NEO4J_URI: 'bolt://graph.internal:17687',
      POSTGRES_HOST: '127.0.0.1',
      POSTGRES_PORT: '5432',
      POSTGRES_PASSWORD: 'pg-secret',
      S3_ENDPOINT_URL: 'http://127.0.0.1:4566',
      APEX_DOCUMENTS_BUCKET: 'apex-documents-test',
      TEMPORAL_PORT: '7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'apex-ingestion-queue',
      QDRANT_API_KEY: '',
    });
  });
});
