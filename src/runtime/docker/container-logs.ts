import { text } from 'node:stream/consumers';
import type { ContainerClient } from './engine-client.js';

/** The last `lines` lines a container wrote (stdout and stderr), for an error that shows why it is unhealthy. */
export async function lastLogLines(containers: ContainerClient, idOrName: string, lines: number): Promise<string[]> {
  const output = await text(await containers.logs(idOrName, { follow: false, tail: lines }));
  return output.split('\n').filter((line) => line.length > 0);
}
