import type { StoreOperations } from '../operations.js';
import { diagnoseNeo4j, probeNeo4j } from './probe.js';
import { clearNeo4j } from './reset.js';
import { seedNeo4j } from './seed.js';

export const neo4jOperations = { probe: probeNeo4j, diagnose: diagnoseNeo4j, seed: seedNeo4j, clear: clearNeo4j } satisfies StoreOperations;
