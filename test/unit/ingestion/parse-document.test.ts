import { describe, expect, it } from 'vitest';
import { parseDocumentBytes } from '../../../src/ingestion/activities/parse-document.js';
import { chunkText } from '../../../src/ingestion/chunking.js';
import { extractEntities } from '../../../src/ingestion/entity-extraction.js';
import { INGESTION_LIMITS } from '../../../src/ingestion/limits.js';

const text = (value: string) => new TextEncoder().encode(value);

/** A one-page PDF with the text "Hello Apex Memory", offsets computed so that pdf.js reads it without repair. */
function tinyPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = 'BT /F1 12 Tf 10 50 Td (Hello Apex Memory) Tj ET';
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return text(body);
}

describe('parse_document core', () => {
  it('parses txt, md, html and pdf', async () => {
    expect((await parseDocumentBytes(text('plain words'), 'text/plain', 'a.txt', INGESTION_LIMITS)).chunks[0].text).toBe('plain words');
    expect((await parseDocumentBytes(text('# Title\n\nbody'), undefined, 'a.md', INGESTION_LIMITS)).documentType).toBe('md');
    const html = await parseDocumentBytes(
      text('<html><body><h1>Head</h1><p>Para <a href="http://x">link</a></p><script>x()</script></body></html>'),
      'text/html',
      'a.html',
      INGESTION_LIMITS,
    );
    expect(html.chunks[0].text).toContain('Para link');
    expect(html.chunks[0].text).not.toContain('http://x');
    const pdf = await parseDocumentBytes(tinyPdf(), 'application/pdf', 'a.pdf', INGESTION_LIMITS);
    expect(pdf.chunks[0].text).toContain('Hello Apex Memory');
  });

  it('rejects empty, binary, corrupt-PDF and oversized documents with a clear, non-retryable reason', async () => {
    await expect(parseDocumentBytes(new Uint8Array(), 'text/plain', 'empty.txt', INGESTION_LIMITS)).rejects.toMatchObject({
      type: 'EmptyDocument',
      nonRetryable: true,
    });
    await expect(parseDocumentBytes(Uint8Array.from([0xff, 0xfe, 0x00, 0x81, 0x9f]), undefined, 'garbage.txt', INGESTION_LIMITS)).rejects.toMatchObject({
      type: 'CorruptDocument',
      message: expect.stringContaining('not valid UTF-8'),
    });
    await expect(parseDocumentBytes(text('just text'), undefined, 'fake.pdf', INGESTION_LIMITS)).rejects.toMatchObject({
      type: 'CorruptDocument',
      message: expect.stringContaining('no %PDF- header'),
    });
    await expect(parseDocumentBytes(text('%PDF-1.4 broken'), undefined, 'broken.pdf', INGESTION_LIMITS)).rejects.toMatchObject({ type: 'CorruptDocument' });
    const long = text('word '.repeat(300_000));
    await expect(parseDocumentBytes(long, 'text/plain', 'big.txt', INGESTION_LIMITS)).rejects.toMatchObject({ type: 'DocumentTooLarge' });
  });

  it('chunks deterministically, within the size limit, dropping NUL bytes', () => {
    const paragraphs = Array.from({ length: 30 }, (_, index) => `Paragraph ${index} ${'lorem ipsum '.repeat(12)}`).join('\n\n');
    const first = chunkText(paragraphs, 800);
    expect(chunkText(paragraphs, 800)).toEqual(first);
    expect(first.length).toBeGreaterThan(3);
    expect(first.every((chunk) => chunk.text.length <= 800)).toBe(true);
    expect(first.map((chunk) => chunk.ordinal)).toEqual(first.map((_, index) => index));
    expect(chunkText('a\u0000b', 800)[0].text).toBe('ab');
    expect(chunkText('   \n\n  ', 800)).toEqual([]);
  });

  it('extracts entities deterministically and without duplicates', () => {
    const entities = extractEntities(['In 2024, Ada Lovelace of Acme Corp wrote to ops@example.org; see https://example.org/x. Ada Lovelace agreed.']);
    expect(entities).toEqual([
      { name: 'ops@example.org', kind: 'email' },
      { name: 'https://example.org/x', kind: 'url' },
      { name: '2024', kind: 'year' },
      { name: 'Ada Lovelace', kind: 'name' },
      { name: 'Acme Corp', kind: 'organization' },
    ]);
  });
});
