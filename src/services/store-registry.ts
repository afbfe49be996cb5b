import type { ServiceName } from '../config/schema.js';
import { probeAlertmanager } from './alertmanager/probe.js';
import { probeGrafana } from './grafana/probe.js';
import { diagnoseNeo4j, probeNeo4j } from './neo4j/probe.js';
import { clearNeo4j } from './neo4j/reset.js';
import { seedNeo4j } from './neo4j/seed.js';
import type { StoreOperations } from './operations.js';
import { diagnosePostgres, probePostgres } from './postgres/probe.js';
import { clearPostgres } from './postgres/reset.js';
import { seedPostgres } from './postgres/seed.js';
import { probePrometheus } from './prometheus/probe.js';
import { diagnoseQdrant, probeQdrant } from './qdrant/probe.js';
import { clearQdrant } from './qdrant/reset.js';
import { seedQdrant } from './qdrant/seed.js';
import { diagnoseRedis, probeRedis } from './redis/probe.js';
import { clearRedis } from './redis/reset.js';
import { seedRedis } from './redis/seed.js';
import { diagnoseS3, probeS3 } from './s3/probe.js';
import { clearS3 } from './s3/reset.js';
import { seedS3 } from './s3/seed.js';
import { diagnoseTemporal, probeTemporal } from './temporal/probe.js';
import { clearTemporal } from './temporal/reset.js';
import { seedTemporal } from './temporal/seed.js';

/** What apex does to each service through its own client. Typed by name, so a new service cannot be left out. */
export const STORE_OPERATIONS: Readonly<Record<ServiceName, StoreOperations>> = {
  temporal: { probe: probeTemporal, diagnose: diagnoseTemporal, seed: seedTemporal, clear: clearTemporal },
  postgres: { probe: probePostgres, diagnose: diagnosePostgres, seed: seedPostgres, clear: clearPostgres },
  neo4j: { probe: probeNeo4j, diagnose: diagnoseNeo4j, seed: seedNeo4j, clear: clearNeo4j },
  qdrant: { probe: probeQdrant, diagnose: diagnoseQdrant, seed: seedQdrant, clear: clearQdrant },
  redis: { probe: probeRedis, diagnose: diagnoseRedis, seed: seedRedis, clear: clearRedis },
  s3: { probe: probeS3, diagnose: diagnoseS3, seed: seedS3, clear: clearS3 },
  prometheus: { probe: probePrometheus },
  alertmanager: { probe: probeAlertmanager },
  grafana: { probe: probeGrafana },
};
