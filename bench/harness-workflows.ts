/**
 * The minimal harness's workflow: the same activity sequence as DocumentIngestionWorkflow (download, then parse,
 * extract and embed as local activities, then four parallel writes, remote or local), over no-op activities.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

type Noop = (input: unknown) => Promise<unknown>;
type Activities = Record<
  'download_from_s3' | 'parse_document' | 'extract_entities' | 'generate_embeddings' | 'write_postgres' | 'write_neo4j' | 'write_qdrant' | 'write_redis',
  Noop
>;

const remote = proxyActivities<Activities>({ startToCloseTimeout: '60s' });
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '60s' });

export async function HarnessWorkflow(input: { documentId: string; localWrites: boolean }): Promise<string> {
  const writes = input.localWrites ? local : remote;
  const downloaded = await remote.download_from_s3(input);
  const parsed = await local.parse_document(downloaded);
  await Promise.all([local.extract_entities(parsed), local.generate_embeddings(parsed)]);
  await Promise.all([writes.write_postgres(parsed), writes.write_neo4j(parsed), writes.write_qdrant(parsed), writes.write_redis(parsed)]);
  return input.documentId;
}
