import { entityKey, type Entity } from '../results/ingestion-contract.js';

const STOP_WORDS = new Set([
  'The',
  'A',
  'An',
  'This',
  'That',
  'These',
  'Those',
  'It',
  'In',
  'On',
  'At',
  'For',
  'And',
  'But',
  'Or',
  'If',
  'When',
  'We',
  'Our',
  'They',
  'He',
  'She',
  'You',
  'I',
]);
const ORGANISATION_SUFFIXES = /\b(Inc|Corp|Corporation|Ltd|LLC|GmbH|Labs|Systems|Foundation|University|Bank)\.?$/;

/**
 * Deterministic, offline entity extraction: e-mail addresses, URLs, years and capitalised phrases
 * (organisations when they end in a company suffix). Deduplicated by entity key, in first-seen order.
 */
export function extractEntities(texts: readonly string[]): Entity[] {
  const found = new Map<string, Entity>();
  const add = (entity: Entity): void => {
    const key = entityKey(entity);
    if (!found.has(key)) found.set(key, entity);
  };
  for (const text of texts) {
    for (const match of text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) add({ name: match[0], kind: 'email' });
    const withoutEmails = text.replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' ');
    for (const match of withoutEmails.matchAll(/https?:\/\/[^\s)>\]"']+/g)) add({ name: match[0].replace(/[.,;:]$/, ''), kind: 'url' });
    const prose = withoutEmails.replace(/https?:\/\/[^\s)>\]"']+/g, ' ');
    for (const match of prose.matchAll(/\b(1[89]\d\d|20\d\d)\b/g)) add({ name: match[0], kind: 'year' });
    for (const match of prose.matchAll(/\b[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)*\.?/g)) {
      const words = match[0].replace(/\.$/, '').split(/\s+/);
      while (words.length > 0 && STOP_WORDS.has(words[0])) words.shift();
      if (words.length === 0 || (words.length === 1 && words[0].length < 3)) continue;
      const name = words.join(' ');
      add({ name, kind: ORGANISATION_SUFFIXES.test(name) ? 'organization' : words.length > 1 ? 'name' : 'term' });
    }
  }
  return [...found.values()];
}
