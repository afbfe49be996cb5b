import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apexMemoryContract } from '../../../src/contracts/built-in/apex-memory.js';
import { runEnv } from '../../../src/stack/env.js';

const ENV = 'POSTGRES_PASSWORD=pg secret\nAWS_ACCESS_KEY_ID=key-id\nAWS_SECRET_ACCESS_KEY=s3-secret\n';

function project(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-env-'));
  writeFileSync(join(dir, 'apex.config.yaml'), config);
  writeFileSync(join(dir, '.env'), ENV);
  return dir;
}

describe('apex env', () => {
  it("maps the stack onto the apex-memory contract's names, secrets included", () => {
    const dir = project('runtime: external\nservices:\n  postgres:\n    host: db.internal\n    ports: { postgres: 15432 }\ncontract: apex-memory\n');
    const result = runEnv({ cwd: dir, processEnv: {} }, { format: 'dotenv' });
    expect(result).toMatchObject({ contract: 'apex-memory', names: 'contract', perRun: [] });
    expect(Object.keys(result.variables)).toEqual(Object.keys(apexMemoryContract.worker?.env ?? {}));
    expect(result.variables).toMatchObject({
      POSTGRES_HOST: 'db.internal',
      POSTGRES_PORT: '15432',
      POSTGRES_PASSWORD: 'pg secret',
      POSTGRES_DB: 'apex_memory',
      AWS_SECRET_ACCESS_KEY: 's3-secret',
      APEX_DOCUMENTS_BUCKET: 'apex-documents-test',
      TEMPORAL_TASK_QUEUE: 'apex-ingestion-queue',
    });
    expect(result.content).toContain("POSTGRES_PASSWORD='pg secret'\n");
  });

  it("gives the reference contract apex-memory's names with its own queue and bucket", () => {
    const dir = project('runtime: external\n');
    const result = runEnv({ cwd: dir, processEnv: {} }, { format: 'json' });
    expect(result).toMatchObject({ contract: 'reference', names: 'apex-memory', perRun: [] });
    expect(Object.keys(result.variables)).toEqual(Object.keys(apexMemoryContract.worker?.env ?? {}));
    expect(result.variables.TEMPORAL_TASK_QUEUE).not.toBe('apex-ingestion-queue');
    expect(result.variables.APEX_DOCUMENTS_BUCKET).not.toBe('');
    expect(JSON.parse(result.content)).toEqual(result.variables);
  });

  it("leaves out a variable whose template takes a run's values, and names it", () => {
    const dir = project('runtime: external\ncontract:\n  use: apex-memory\n  worker:\n    env: { RUN_PREFIX: "{prefix}", RUN: "{runId}" }\n');
    const result = runEnv({ cwd: dir, processEnv: {} }, { format: 'export' });
    expect(result.perRun).toEqual(['RUN_PREFIX', 'RUN']);
    expect(result.variables).not.toHaveProperty('RUN');
    expect(result.variables.POSTGRES_DB).toBe('apex_memory');
  });
});
