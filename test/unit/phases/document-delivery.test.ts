import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CorpusDocument } from '../../../src/phases/corpus.js';
import { openDocumentDelivery } from '../../../src/phases/document-delivery.js';

const doc: CorpusDocument = {
  documentId: 'doc-00000.txt',
  body: new TextEncoder().encode('Ada Lovelace wrote notes.\n'),
  contentType: 'text/plain',
  expected: { chunks: 1, entities: 1 },
};
const noUpload = async () => {
  throw new Error('not an S3 delivery');
};

describe("a run's documents, delivered as the contract says", () => {
  it('S3: the bucket, prefix and key render from the run and the document name, and the upload goes there', async () => {
    const uploads: string[] = [];
    const delivery = await openDocumentDelivery({
      delivery: { kind: 's3', bucket: 'apex-documents-test', prefix: 'runs/{runId}', key: '{prefix}/{documentName}' },
      vars: { runId: 'r1', phase: '2d' },
      projectDir: '/nowhere',
      upload: async (bucket, key) => void uploads.push(`${bucket}/${key}`),
    });
    expect(delivery.runVars).toEqual({ bucket: 'apex-documents-test', prefix: 'runs/r1' });
    expect(delivery.locate('doc-1.txt')).toEqual({ bucket: 'apex-documents-test', prefix: 'runs/r1', key: 'runs/r1/doc-1.txt' });
    await delivery.deliver('doc-1.txt', doc);
    expect(uploads).toEqual(['apex-documents-test/runs/r1/doc-1.txt']);
  });

  it('a folder: written where the worker reads, relative to the project, and removed afterwards unless kept', async () => {
    const project = mkdtempSync(join(tmpdir(), 'apex-delivery-'));
    const open = () =>
      openDocumentDelivery({ delivery: { kind: 'folder', path: 'inbox/{runId}' }, vars: { runId: 'r2', phase: '2d' }, projectDir: project, upload: noUpload });
    const delivery = await open();
    const { documentPath } = delivery.locate('load-test-r2-doc-00000.txt');
    expect(documentPath).toBe(join(project, 'inbox', 'r2', 'load-test-r2-doc-00000.txt'));
    await delivery.deliver('load-test-r2-doc-00000.txt', doc);
    expect(readFileSync(String(documentPath), 'utf8')).toBe('Ada Lovelace wrote notes.\n');
    await delivery.close({ keepData: false });
    expect(existsSync(String(documentPath))).toBe(false);
    const kept = await open();
    await kept.deliver('load-test-r2-doc-00000.txt', doc);
    await kept.close({ keepData: true });
    expect(existsSync(String(documentPath))).toBe(true);
  });

  it('HTTP: served on loopback while the run lasts, with its Content-Type; an unknown document is a 404', async () => {
    const delivery = await openDocumentDelivery({ delivery: { kind: 'http' }, vars: { runId: 'r3', phase: '2d' }, projectDir: '/nowhere', upload: noUpload });
    const { documentUrl } = delivery.locate('load-test-r3-doc-00000.txt');
    expect(String(documentUrl)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/r3\/load-test-r3-doc-00000\.txt$/);
    expect((await fetch(String(documentUrl))).status).toBe(404);
    await delivery.deliver('load-test-r3-doc-00000.txt', doc);
    const response = await fetch(String(documentUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('Ada Lovelace wrote notes.\n');
    await delivery.close({ keepData: false });
    await expect(fetch(String(documentUrl))).rejects.toThrow();
  });
});
