import { findTools } from '../../src/observability/binaries.js';
import { missingServers } from './servers.js';

/**
 * Why phases 2E/2F cannot run here, or undefined: the servers the worker writes to, and Debian's prometheus,
 * prometheus-alertmanager, promtool and amtool. In CI a missing one is a failure, never a skip.
 */
export async function missingObservability(): Promise<string | undefined> {
  const servers = await missingServers(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);
  if (servers) return servers;
  const tools = findTools();
  const absent = Object.entries(tools)
    .filter(([, path]) => path === undefined)
    .map(([name]) => name);
  if (absent.length === 0) return undefined;
  const reason = `${absent.join(', ')} not on PATH (apt-get install prometheus prometheus-alertmanager)`;
  if (process.env.CI) throw new Error(`CI must not skip integration tests: ${reason}`);
  console.warn(`skipping phase 2E/2F integration tests: ${reason}`);
  return reason;
}
