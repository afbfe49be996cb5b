import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CONTRACTS, builtInContract } from '../../../src/contracts/built-in/index.js';
import { renderArguments, renderTemplate } from '../../../src/contracts/render.js';
import { workerContractSchema, type WorkerContract } from '../../../src/contracts/schema.js';
import { mergeOverrides } from '../../../src/contracts/select.js';
import { loadConfig, parseConfigText } from '../../../src/config/load-config.js';
import { configSchema } from '../../../src/config/schema.js';
import { ApexError } from '../../../src/errors.js';
import { ACTIVITY_NAMES, type IngestionInput } from '../../../src/results/ingestion-contract.js';

const contractOf = (yaml: string): WorkerContract => parseConfigText(yaml, 'apex.config.yaml').contract;

function rejection(yaml: string): ApexError {
  try {
    parseConfigText(yaml, 'apex.config.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ApexError);
    return error as ApexError;
  }
  throw new Error('expected the contract to be rejected');
}

/** The variables of one document, as the phases render them. */
const documentVars = (contract: WorkerContract, runId: string) => {
  const base = { runId, phase: '2d', n: '00001', index: 1, extension: 'txt', localCpuSteps: true, localStoreWrites: false };
  const documentName = renderTemplate(contract.document.name, base);
  const delivery = contract.document.delivery;
  if (delivery.kind !== 's3') return { ...base, documentName, documentUrl: `http://127.0.0.1:40123/${documentName}` };
  const prefix = renderTemplate(delivery.prefix, base);
  const bucket = renderTemplate(delivery.bucket, base);
  return { ...base, documentName, bucket, prefix, key: renderTemplate(delivery.key, { ...base, documentName, prefix }) };
};

describe('worker contracts', () => {
  it('accepts both built-ins as written', () => {
    const settings = configSchema.parse({}).ingestion;
    for (const name of BUILT_IN_CONTRACTS) expect(workerContractSchema.safeParse(builtInContract(name, settings)).success, name).toBe(true);
  });

  it('selects the reference contract by default, on the ingestion keys `apex worker` serves', () => {
    const contract = contractOf(
      'ingestion:\n  namespace: mine\n  taskQueue: my-queue\n  testBucket: my-bucket\n  qdrantCollection: my_points\n  redisPrefix: "m:"\n',
    );
    expect(contract.label).toBe('reference');
    expect(contract.temporal).toEqual({ namespace: 'mine', taskQueue: 'my-queue', workflowType: 'DocumentIngestionWorkflow', workflowId: '{runId}-{n}' });
    expect(contract.document.delivery).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'runs/{runId}', key: '{prefix}/{documentName}' });
    expect(contract.verify.qdrant[0].collection).toBe('my_points');
    expect(contract.verify.redis[0].pattern).toBe('m:doc:{runId}:*');
    expect(contract.faults).toEqual({ kind: 'in-process' });
  });

  it("renders the reference worker's one object argument exactly as the phases start it today", () => {
    const contract = contractOf('');
    const runId = '2d-20261202t133315z-ab12-concurrent';
    const [input] = renderArguments(contract.arguments, documentVars(contract, runId)) as [IngestionInput];
    expect(input).toEqual({
      runId,
      documentId: 'doc-00001.txt',
      bucket: 'apex-documents-test',
      key: `runs/${runId}/doc-00001.txt`,
      options: { localCpuSteps: true, localStoreWrites: false },
    });
    expect(renderTemplate(contract.temporal.workflowId, documentVars(contract, runId))).toBe(`${runId}-00001`);
  });

  it("names the reference worker's compensation activities as it registers them", () => {
    const contract = contractOf('');
    expect(contract.saga).toEqual({
      failedAs: 'execution',
      failureType: 'WriteSagaCompensated',
      compensationActivities: ACTIVITY_NAMES.filter((name) => name.startsWith('compensate_')),
    });
  });

  it('renders the apex-memory arguments positionally, with the run id in the document name', () => {
    const contract = contractOf('contract: apex-memory\n');
    const vars = documentVars(contract, 'r1');
    expect(renderArguments(contract.arguments, vars)).toEqual(['load-test-r1-doc-00001.txt', 'load-test', 'apex-documents-test', 'load-test']);
    expect((vars as { key?: string }).key).toBe('load-test/load-test-r1-doc-00001.txt');
    expect(contract.result).toMatchObject({
      success: { field: 'status', equals: 'success' },
      failureReason: 'error',
      documentUuid: 'uuid',
      stores: 'databases_written',
      exactCounts: false,
    });
    expect(contract.saga).toEqual({ failedAs: 'result' });
    expect(contract.worker?.command).toBeUndefined();
    expect(contract.worker?.env.NEO4J_URI).toBe('bolt://{neo4j.host}:{neo4j.port}');
  });

  it('merges overrides into a built-in and says so in the label', () => {
    const contract = contractOf(
      'contract:\n  use: apex-memory\n  temporal:\n    taskQueue: apex-load-test-real-db\n  verify:\n    redis: []\n  faults: null\n',
    );
    expect(contract.label).toBe('apex-memory (with overrides)');
    expect(contract.temporal).toMatchObject({ namespace: 'default', taskQueue: 'apex-load-test-real-db', workflowType: 'DocumentIngestionWorkflow' });
    expect(contract.verify.redis).toEqual([]);
    expect(contract.verify.neo4j).toHaveLength(2);
    expect(contract.faults).toBeUndefined();
  });

  it('replaces lists and objects of another kind, and removes keys set to null', () => {
    expect(mergeOverrides({ a: [1, 2], b: { kind: 's3', bucket: 'x' }, c: { d: 1, e: 2 } }, { a: [3], b: { kind: 'http' }, c: { e: null, f: 3 } })).toEqual({
      a: [3],
      b: { kind: 'http' },
      c: { d: 1, f: 3 },
    });
  });

  it('validates a contract written by hand for a worker that takes (document_id, source, source_location) over HTTP', () => {
    const configFile = fileURLToPath(new URL('../../fixtures/contracts/http-staging.apex.config.yaml', import.meta.url));
    const { contract } = loadConfig({ configFile, processEnv: {} }).config;
    expect(contract.label).toBe('staging-http');
    expect(contract.document.delivery).toEqual({ kind: 'http' });
    expect(contract.faults).toBeUndefined();
    expect(contract.verify.s3).toEqual([]);
    expect(renderArguments(contract.arguments, documentVars(contract, 'r2'))).toEqual([
      'load-test-r2-doc-00001.txt',
      'http',
      'http://127.0.0.1:40123/load-test-r2-doc-00001.txt',
    ]);
  });

  it('names file, line and key path of a wrong type in an override', () => {
    const error = rejection('contract:\n  use: apex-memory\n  temporal:\n    taskQueue: 5\n');
    expect(error.message).toBe('apex.config.yaml:4: contract.temporal.taskQueue: expected string, got number');
    expect(error.exitCode).toBe(2);
  });

  it('names an unknown contract and an unknown key', () => {
    expect(rejection('contract: apex-memroy\n').message).toBe(
      'apex.config.yaml:1: contract.use: expected one of "reference", "apex-memory", got "apex-memroy"',
    );
    expect(rejection('contract:\n  use: reference\n  temporal:\n    taskQeue: q\n').message).toBe(
      'apex.config.yaml:4: contract.temporal: unknown key "taskQeue"',
    );
  });

  it('names a template variable that does not exist where it is used', () => {
    const yaml = [
      'contract:',
      '  use: apex-memory',
      '  verify:',
      '    postgres:',
      '      - name: documents of the run',
      '        scope: run',
      '        sql: "SELECT count(*) FROM documents WHERE uuid = {documentUuid}"',
      '        expect: { equals: "{completed}" }',
      '',
    ].join('\n');
    expect(rejection(yaml).message).toMatch(
      /^apex\.config\.yaml:7: contract\.verify\.postgres\.0\.sql: unknown template variable \{documentUuid\} here; use one of \{runId\}/,
    );
    expect(rejection('contract:\n  use: apex-memory\n  arguments: ["{documentId}"]\n').message).toMatch(
      /^apex\.config\.yaml:3: contract\.arguments\.0: unknown template variable \{documentId\}/,
    );
  });

  it('rejects `when` on a run-scope check, and a whole contract that lacks its required parts', () => {
    const when = rejection(
      'contract:\n  use: apex-memory\n  verify:\n    s3:\n      - { name: docs, scope: run, when: failed, bucket: b, prefix: p, expect: { absent: true } }\n',
    );
    expect(when.message).toBe('apex.config.yaml:5: contract.verify.s3.0.when: `when` applies to document-scope checks only; remove it or use scope: document');
    const expectation = rejection(
      'contract:\n  use: apex-memory\n  verify:\n    s3:\n      - { name: docs, scope: run, bucket: b, prefix: p, expect: { atleast: 1 } }\n',
    );
    expect(expectation.message).toBe(
      'apex.config.yaml:5: contract.verify.s3.0.expect: expected one of { equals: <n> }, { atLeast: <n> }, { present: true }, { absent: true } (<n>: a number or "{variable}")',
    );
    expect(rejection('contract:\n  use: apex-memory\n  cleanup:\n    redis:\n      - pattern: "doc:*"\n').message).toBe(
      'apex.config.yaml:5: contract.cleanup.redis.0.pattern: a cleanup must select its run or document with a {variable} (e.g. {runId}); without one it deletes the same data on every run',
    );
    expect(rejection('contract:\n  label: mine\n').message).toBe('apex.config.yaml:2: contract.temporal: missing: expected object');
  });
});
