import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FailureEvidence } from '../../../../src/results/run-result.js';
import { diagnose, matchSignature } from '../../../../src/phases/diagnosis/diagnosis.js';
import { SIGNATURES } from '../../../../src/phases/diagnosis/knowledge-base.js';
import { loadStack } from '../../../../src/config/stack-context.js';
import { fixEndpoints } from '../../../../src/phases/diagnosis/fix-endpoints.js';
import { DEFAULT_FIX_ENDPOINTS } from '../../../fixtures/reports/sample-results.js';

const evidence = (...lines: string[]): FailureEvidence => ({ source: 'history', summary: lines[0], lines, workflows: 1 });

describe('diagnosis knowledge base', () => {
  it.each([
    ['activity-name-mismatch', 'Activity function download_from_s3 is not registered on this worker, available activities: ["downloadFromS3"] [NotFoundError]'],
    ['activity-name-mismatch', 'The worker does not register 1 activity the workflow calls: write_qdrant.'],
    ['activity-name-mismatch', 'Activity type parse_document not found'],
    ['workflow-type-not-registered', "Failed to initialize workflow of type 'IngestWorkflow': no such function is exported by the workflow bundle"],
    ['sdk-argument-shape', 'DocumentIngestionWorkflow takes ONE object argument {runId, documentId, bucket, key}; got an array [WorkflowArgumentShape]'],
    ['sdk-argument-shape', "TypeError: run() missing 1 required positional argument: 'document_id'"],
    ['s3-endpoint-missing', 'getaddrinfo EAI_AGAIN apex-documents-test.s3.us-east-1.amazonaws.com'],
    ['s3-endpoint-missing', 'InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.'],
    ['missing-extension-or-content-type', 'unsupported document type: extension "(none)" and no usable Content-Type for doc-1 [UnsupportedDocumentType]'],
    ['uuid-like', 'error: operator does not exist: uuid ~~ unknown'],
    ['schema-not-migrated', 'relation "documents" does not exist'],
    ['rate-limit', 'embeddings request failed: HTTP 429 after 6 attempt(s) [RateLimited]'],
    ['no-worker-polling', 'no worker is polling task queue apex-ingestion in namespace apex'],
    ['timeout', 'activity write_neo4j attempt 3 (timed_out): activity StartToClose timeout [timeout START_TO_CLOSE]'],
    ['store-unreachable', 'postgres: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432'],
    ['store-unreachable', 'Neo4jError: Could not perform discovery. No routing servers available. ServiceUnavailable'],
    ['store-unreachable', 'Failed to start Workflow ← tcp connect error'],
    ['workflow-never-closed', 'the workflow never closed'],
    ['authentication', 'password authentication failed for user "apex"'],
    ['document-rejected', 'cannot parse doc.txt: the content is not valid UTF-8 text [CorruptDocument]'],
    ['threshold-missed', 'throughput: expected ≥ 10 workflows/s, got 2.00 workflows/s'],
  ])('%s ← %s', (id, line) => {
    expect(matchSignature(evidence(line))?.id).toBe(id);
  });

  it('has a cause and a fix for every signature, and unique ids', () => {
    for (const signature of SIGNATURES) {
      const fix = typeof signature.fix === 'string' ? signature.fix : signature.fix(DEFAULT_FIX_ENDPOINTS);
      expect(signature.cause.length && fix.length).toBeTruthy();
    }
    expect(new Set(SIGNATURES.map((signature) => signature.id)).size).toBe(SIGNATURES.length);
  });

  it('says so when nothing matches, and keeps the evidence', () => {
    const [diagnosis] = diagnose({ setupEvidence: [evidence('the flux capacitor is out of plutonium')], tests: [] }, DEFAULT_FIX_ENDPOINTS);
    expect(diagnosis.signature).toBe('unmatched');
    expect(diagnosis.cause).toContain('No known signature matched');
    expect(diagnosis.evidence[0].lines).toEqual(['the flux capacitor is out of plutonium']);
  });

  it('groups one cause across tests, and ignores passed and skipped tests', () => {
    const failing = (name: string) => ({
      name,
      description: '',
      status: 'failed' as const,
      runId: 'r',
      checks: [],
      evidence: [evidence('Activity function write_redis is not registered on this worker')],
      metrics: {} as never,
    });
    const diagnoses = diagnose({ setupEvidence: [], tests: [failing('a'), failing('b'), { ...failing('c'), status: 'skipped' }] }, DEFAULT_FIX_ENDPOINTS);
    expect(diagnoses).toHaveLength(1);
    expect(diagnoses[0].tests).toEqual(['a', 'b']);
  });

  it('fixes name the ports the stack is configured with, not the default ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-diagnosis-'));
    writeFileSync(
      join(dir, 'apex.config.yaml'),
      'runtime: external\nservices:\n  temporal:\n    ports: { grpc: 17233, ui: 18233, metrics: 19000 }\n  s3:\n    ports: { http: 14566 }\n',
    );
    const at = fixEndpoints(loadStack({ cwd: dir, processEnv: {} }).stack);
    expect(at).toEqual({ temporalUi: 'http://127.0.0.1:18233', temporalMetrics: 'http://127.0.0.1:19000', s3: 'http://127.0.0.1:14566' });
    const fixes = diagnose(
      {
        setupEvidence: [
          evidence('the flux capacitor is out of plutonium'),
          evidence('InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.'),
          { source: 'verification', summary: 'Scrape target down: temporal', lines: [], workflows: 0 },
          { source: 'verification', summary: 'Metric not exposed: temporal_request', lines: [], workflows: 0 },
        ],
        tests: [],
      },
      at,
    ).map((diagnosis) => diagnosis.fix);
    expect(fixes).toEqual([
      expect.stringContaining('Temporal UI (http://127.0.0.1:18233)'),
      expect.stringContaining('S3_ENDPOINT_URL=http://127.0.0.1:14566 '),
      expect.stringContaining('serve its metrics on http://127.0.0.1:19000'),
      expect.stringContaining('curl -s http://127.0.0.1:19000/metrics'),
    ]);
    for (const fix of fixes) expect(fix).not.toMatch(/:(8233|9000|4566)\b/);
  });
});
