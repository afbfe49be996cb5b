import { describe, expect, it } from 'vitest';
import { detectDocumentType } from '../../../src/ingestion/document-type.js';

describe('document type', () => {
  it('comes from the Content-Type first', () => {
    expect(detectDocumentType('text/html; charset=utf-8', 'notes.txt')).toBe('html');
    expect(detectDocumentType('application/pdf', 'report')).toBe('pdf');
  });

  it("falls back to the document id's extension when Content-Type is missing or generic (seeds' bug #6)", () => {
    expect(detectDocumentType(undefined, 'doc-001.md')).toBe('md');
    expect(detectDocumentType('', 'runs/x/doc.TXT')).toBe('txt');
    expect(detectDocumentType('binary/octet-stream', 'page.htm')).toBe('html');
  });

  it('fails non-retryably, naming what it saw, for an unknown type', () => {
    expect(() => detectDocumentType(undefined, 'no-extension')).toThrow(/unsupported document type: extension "\(none\)"/);
    expect(() => detectDocumentType('image/png', 'photo.png')).toThrow(expect.objectContaining({ type: 'UnsupportedDocumentType', nonRetryable: true }));
  });
});
