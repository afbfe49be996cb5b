import { readFile, rm } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/common';
import { convert as htmlToText } from 'html-to-text';
import { extractText, getDocumentProxy } from 'unpdf';
import { chunkText } from '../chunking.js';
import type { DocumentType, DownloadedDocument, ParsedDocument } from '../../results/ingestion-contract.js';
import { detectDocumentType } from '../document-type.js';
import type { ActivityDeps } from './deps.js';

const corrupt = (documentId: string, why: string): ApplicationFailure =>
  ApplicationFailure.nonRetryable(`cannot parse ${documentId}: ${why}`, 'CorruptDocument');

function decodeUtf8(body: Uint8Array, documentId: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw corrupt(documentId, 'the content is not valid UTF-8 text (binary data, or a wrong extension/Content-Type)');
  }
  // eslint-disable-next-line no-control-regex
  if (/\u0000/.test(text)) throw corrupt(documentId, 'the content holds NUL bytes: binary data, not text');
  return text;
}

async function pdfText(body: Uint8Array, documentId: string): Promise<string> {
  if (!Buffer.from(body.subarray(0, 5)).toString('latin1').startsWith('%PDF-')) throw corrupt(documentId, 'not a PDF (no %PDF- header)');
  try {
    const pdf = await getDocumentProxy(new Uint8Array(body), { verbosity: 0 });
    const { text } = await extractText(pdf, { mergePages: true });
    return text;
  } catch (error) {
    throw corrupt(documentId, `PDF parser: ${(error as Error).message}`);
  }
}

/** Text of a document by type: html-to-text for HTML, unpdf (pdf.js) for PDF, strict UTF-8 for text and Markdown. */
export async function documentText(type: DocumentType, body: Uint8Array, documentId: string): Promise<string> {
  switch (type) {
    case 'pdf':
      return pdfText(body, documentId);
    case 'html':
      return htmlToText(decodeUtf8(body, documentId), {
        wordwrap: false,
        selectors: [
          { selector: 'a', options: { ignoreHref: true } },
          { selector: 'img', format: 'skip' },
        ],
      });
    case 'md':
    case 'txt':
      return decodeUtf8(body, documentId);
  }
}

/** Parses a document into chunks: the whole pipeline's pure core, shared with the phases' expected counts. */
export async function parseDocumentBytes(
  body: Uint8Array,
  contentType: string | undefined,
  documentId: string,
  limits: ActivityDeps['limits'],
): Promise<ParsedDocument> {
  const documentType = detectDocumentType(contentType, documentId);
  if (body.byteLength === 0) throw ApplicationFailure.nonRetryable(`${documentId} is empty (0 bytes)`, 'EmptyDocument');
  const chunks = chunkText(await documentText(documentType, body, documentId), limits.chunkChars);
  if (chunks.length === 0) throw ApplicationFailure.nonRetryable(`${documentId} (${documentType}) holds no text`, 'EmptyDocument');
  if (chunks.length > limits.maxChunks) {
    throw ApplicationFailure.nonRetryable(`${documentId} yields ${chunks.length} chunks, over the limit of ${limits.maxChunks}`, 'DocumentTooLarge');
  }
  return { documentType, chunks };
}

export function createParseActivity(deps: ActivityDeps) {
  return async function parse_document(input: DownloadedDocument): Promise<ParsedDocument> {
    let body: Uint8Array;
    try {
      body = await readFile(input.localPath);
    } catch {
      // Another worker downloaded it: fetch it again rather than fail.
      body = (await deps.documents.get(input.bucket, input.key)).body;
    }
    const parsed = await parseDocumentBytes(body, input.contentType, input.documentId, deps.limits);
    await rm(input.localPath, { force: true });
    return parsed;
  };
}
