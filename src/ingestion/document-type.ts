import { ApplicationFailure } from '@temporalio/common';
import { DOCUMENT_TYPES, type DocumentType } from '../results/ingestion-contract.js';

const CONTENT_TYPES: Record<string, DocumentType> = {
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
};

const EXTENSIONS: Record<string, DocumentType> = { txt: 'txt', text: 'txt', md: 'md', markdown: 'md', html: 'html', htm: 'html', pdf: 'pdf' };

/** Content types that say nothing about the document; the extension decides instead. */
const UNINFORMATIVE = new Set(['application/octet-stream', 'binary/octet-stream', '']);

export const CONTENT_TYPE_BY_DOCUMENT_TYPE: Record<DocumentType, string> = {
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

export function extensionOf(name: string): string | undefined {
  const base = name.split('/').pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : undefined;
}

/**
 * The document's type from its Content-Type, falling back to the document id's extension when the header is
 * missing or generic (a missing Content-Type must not fail the workflow).
 */
export function detectDocumentType(contentType: string | undefined, documentId: string): DocumentType {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const byMime = CONTENT_TYPES[mime];
  if (byMime) return byMime;
  const extension = extensionOf(documentId);
  const byExtension = extension ? EXTENSIONS[extension] : undefined;
  if (byExtension && UNINFORMATIVE.has(mime)) return byExtension;
  const what = mime && !UNINFORMATIVE.has(mime) ? `Content-Type "${mime}"` : `extension "${extension ?? '(none)'}" and no usable Content-Type`;
  throw ApplicationFailure.nonRetryable(
    `unsupported document type: ${what} for ${documentId}; supported: ${DOCUMENT_TYPES.join(', ')}`,
    'UnsupportedDocumentType',
  );
}
