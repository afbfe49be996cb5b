import type { ServiceName } from '../config/schema.js';
import { probeAlertmanager } from './alertmanager/probe.js';
import { probeGrafana } from './grafana/probe.js';
import type { StoreCapability, StoreOperations } from './operations.js';
import { probePrometheus } from './prometheus/probe.js';

/** A service's operations, loaded on first use, and what it can do beyond a health check, known without loading. */
export interface StoreEntry {
  capabilities: readonly StoreCapability[];
  load(): Promise<StoreOperations>;
}

/** The loaded operations must implement every capability declared (a unit test checks the converse). */
const entry = <C extends StoreCapability>(
  capabilities: readonly C[],
  load: () => Promise<StoreOperations & Required<Pick<StoreOperations, C>>>,
): StoreEntry => ({ capabilities, load });

/**
 * What apex does to each service through its own client. Typed by name, so a new service cannot be left out.
 * A store's operations bring its client library, so they load on first use: a command pays for the stores it touches.
 */
export const STORE_OPERATIONS: Readonly<Record<ServiceName, StoreEntry>> = {
  temporal: entry(['seed', 'clear'], async () => (await import('./temporal/operations.js')).temporalOperations),
  postgres: entry(['seed', 'clear'], async () => (await import('./postgres/operations.js')).postgresOperations),
  neo4j: entry(['seed', 'clear'], async () => (await import('./neo4j/operations.js')).neo4jOperations),
  qdrant: entry(['seed', 'clear'], async () => (await import('./qdrant/operations.js')).qdrantOperations),
  redis: entry(['seed', 'clear'], async () => (await import('./redis/operations.js')).redisOperations),
  s3: entry(['seed', 'clear'], async () => (await import('./s3/operations.js')).s3Operations),
  prometheus: entry([], async () => ({ probe: probePrometheus })),
  alertmanager: entry([], async () => ({ probe: probeAlertmanager })),
  grafana: entry([], async () => ({ probe: probeGrafana })),
};
