import { extractEntities } from '../ingestion/entity-extraction.js';
import { parseDocumentBytes } from '../ingestion/activities/parse-document.js';
import { CONTENT_TYPE_BY_DOCUMENT_TYPE } from '../ingestion/document-type.js';
import type { DocumentType } from '../results/ingestion-contract.js';
import { INGESTION_LIMITS } from '../ingestion/limits.js';

/** A document a phase uploads, and what ingesting it must produce. */
export interface CorpusDocument {
  documentId: string;
  body: Uint8Array;
  contentType?: string;
  expected: { chunks: number; entities: number };
}

const PEOPLE = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth', 'Margaret Hamilton'];
const ORGANISATIONS = ['Apex Memory Labs', 'Acme Corp', 'Initech Systems', 'Globex Corporation', 'Umbrella Foundation', 'Stark Bank'];
const TOPICS = ['ingestion latency', 'vector search', 'graph traversal', 'cache invalidation', 'saga compensation', 'document parsing'];
const TYPES: DocumentType[] = ['txt', 'md', 'html'];

function pick<T>(list: readonly T[], seed: number): T {
  return list[Math.abs(seed) % list.length];
}

function paragraphs(index: number, count: number): string[] {
  return Array.from({ length: count }, (_, paragraph) => {
    const seed = index * 31 + paragraph * 7;
    return (
      `In ${2000 + (seed % 25)}, ${pick(PEOPLE, seed)} of ${pick(ORGANISATIONS, seed + 3)} reviewed ${pick(TOPICS, seed + 5)} ` +
      `for document ${index}. The notes were sent to ops${seed % 5}@example.org and published at https://example.org/notes/${index}/${paragraph}. ` +
      `${pick(PEOPLE, seed + 1)} agreed that ${pick(TOPICS, seed + 2)} needs measuring before it needs tuning.`
    );
  });
}

function render(type: DocumentType, title: string, body: string[]): string {
  switch (type) {
    case 'md':
      return `# ${title}\n\n${body.join('\n\n')}\n`;
    case 'html':
      return `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body.map((text) => `<p>${text}</p>`).join('')}</body></html>`;
    default:
      return `${title}\n\n${body.join('\n\n')}\n`;
  }
}

/** What ingesting these bytes must produce: the same pure functions the activities use. */
export async function expectedIngestion(body: Uint8Array, contentType: string | undefined, documentId: string): Promise<CorpusDocument['expected']> {
  const parsed = await parseDocumentBytes(body, contentType, documentId, INGESTION_LIMITS);
  return { chunks: parsed.chunks.length, entities: extractEntities(parsed.chunks.map((chunk) => chunk.text)).length };
}

/**
 * The index-th synthetic document: txt, md and html in turn, 1–6 paragraphs, people and organisations drawn from
 * small pools so that concurrent documents share entities (write contention in the graph).
 */
export async function syntheticDocument(index: number): Promise<CorpusDocument> {
  const type = TYPES[index % TYPES.length];
  const documentId = `doc-${String(index).padStart(5, '0')}.${type}`;
  const body = new TextEncoder().encode(render(type, `Apex Memory note ${index}`, paragraphs(index, 1 + (index % 6))));
  const contentType = CONTENT_TYPE_BY_DOCUMENT_TYPE[type];
  return { documentId, body, contentType, expected: await expectedIngestion(body, contentType, documentId) };
}
