import { errorMessage } from '../errors.js';

/** A store client's error in one line: its type and code when they add to the message (Neo4jError: ServiceUnavailable: …). */
export function describeStoreError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const name = (error as { name?: string }).name;
  return [name && name !== 'Error' ? name : undefined, code, errorMessage(error)].filter(Boolean).join(': ');
}
