import { beforeAll, describe, expect, it } from 'vitest';
import { expectedIngestion, type CorpusDocument } from '../../src/phases/corpus.js';
import { phase2d } from '../../src/phases/phase-2d.js';
import type { PhaseDefinition } from '../../src/phases/phase-definition.js';
import { phase2dThresholds } from '../../src/phases/thresholds.js';
import { workloadTest } from '../../src/phases/workload-test.js';
import { seedStack } from '../../src/services/seeding.js';
import { coreStores } from '../support/isolated-stack.js';
import { runPhaseForTest, statuses } from '../support/phase-run.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);

const utf8 = (text: string) => new TextEncoder().encode(text);
/** A name as a Latin-1 filesystem hands it over: bytes that are not valid UTF-8, read as Latin-1. */
const latin1Name = `${Buffer.from([0x72, 0xe9, 0x73, 0x75, 0x6d, 0xe9, 0x20, 0xa9, 0x20, 0xfc]).toString('latin1')} notes.txt`;

interface BadDocument {
  label: string;
  document: () => Promise<Omit<CorpusDocument, 'expected'>>;
  /** The failure type the workflow must end with; ingested when undefined. */
  failsWith?: string;
}

const CORPUS: BadDocument[] = [
  { label: 'empty', document: async () => ({ documentId: 'empty.txt', body: new Uint8Array(), contentType: 'text/plain' }), failsWith: 'EmptyDocument' },
  {
    label: 'garbage',
    document: async () => ({
      documentId: 'garbage.txt',
      body: Uint8Array.from({ length: 4096 }, (_, index) => (index * 131 + 0x80) % 256),
      contentType: 'text/plain',
    }),
    failsWith: 'CorruptDocument',
  },
  {
    label: 'wrong-extension',
    document: async () => ({ documentId: 'quarterly-report.pdf', body: utf8('This is plain text in a file that claims to be a PDF.') }),
    failsWith: 'CorruptDocument',
  },
  {
    label: 'no-content-type',
    document: async () => ({ documentId: 'no-content-type.md', body: utf8('# Notes\n\nGrace Hopper met Alan Turing at Acme Corp in 1950.\n') }),
  },
  {
    label: 'twenty-mb',
    document: async () => ({ documentId: 'twenty-mb.txt', body: new Uint8Array(20 * 1024 * 1024).fill(0x61), contentType: 'text/plain' }),
    failsWith: 'DocumentTooLarge',
  },
  {
    label: 'latin1-name',
    document: async () => ({ documentId: latin1Name, body: utf8('Ada Lovelace wrote the first program in 1843.'), contentType: 'text/plain; charset=utf-8' }),
  },
];

/** One test per document: each ends ingested (exact counts) or failed with its reason and nothing in any store. */
const badDocuments: PhaseDefinition<typeof phase2dThresholds> = {
  ...phase2d,
  id: 'bad-documents',
  title: 'Bad documents',
  tests: CORPUS.map((bad) =>
    workloadTest({
      name: bad.label,
      description: bad.failsWith ? `fails with ${bad.failsWith}, writes nothing` : 'ingested, exact counts',
      spec: (_ctx, t) => ({
        label: bad.label,
        count: 1,
        model: { kind: 'closed', concurrency: 1 },
        timeoutSeconds: t.workflowTimeoutSeconds,
        document: async () => {
          const document = await bad.document();
          const expected = bad.failsWith ? { chunks: 0, entities: 0 } : await expectedIngestion(document.body, document.contentType, document.documentId);
          return { ...document, expected };
        },
      }),
      expectation: () => ({ minSuccessRate: 1, failureType: bad.failsWith }),
    }),
  ),
};

describe.skipIf(missing)('a bad-documents corpus: ingested or failed with a clear reason, never half-written', () => {
  beforeAll(async () => {
    for (const result of await seedStack(externalStack().stack, coreStores())) expect(result.ok, result.error).toBe(true);
  });

  it('ends every document as expected, verified in every store', { timeout: 300_000 }, async () => {
    const { result } = await runPhaseForTest(externalStack(), { phase: badDocuments });
    expect(statuses(result)).toEqual(Object.fromEntries(CORPUS.map((bad) => [bad.label, 'passed'])));
    for (const test of result.tests) {
      const bad = CORPUS.find((candidate) => candidate.label === test.name)!;
      const counts = Object.fromEntries(
        test.checks.filter((check) => /^(postgres|neo4j|qdrant|redis|s3): /.test(check.name)).map((check) => [check.name, check.actual]),
      );
      // Every store was counted; a failed document left only its uploaded object.
      expect(Object.keys(counts).sort(), test.name).toEqual([
        'neo4j: Document nodes',
        'neo4j: MENTIONS relationships',
        'postgres: chunks rows',
        'postgres: documents rows',
        'postgres: entities rows',
        'qdrant: points',
        'redis: document keys',
        's3: objects under runs/<runId>/',
      ]);
      const one = bad.failsWith ? '0' : '1';
      for (const name of ['postgres: documents rows', 'neo4j: Document nodes', 'redis: document keys']) expect(counts[name], `${test.name} ${name}`).toBe(one);
      expect(counts['s3: objects under runs/<runId>/'], test.name).toBe('1');
      if (bad.failsWith)
        for (const name of ['postgres: chunks rows', 'postgres: entities rows', 'neo4j: MENTIONS relationships', 'qdrant: points'])
          expect(counts[name], `${test.name} ${name}`).toBe('0');
    }
  });
});
