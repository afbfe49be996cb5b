import type { StoreOperations } from '../operations.js';
import { diagnosePostgres, probePostgres } from './probe.js';
import { clearPostgres } from './reset.js';
import { seedPostgres } from './seed.js';

export const postgresOperations = { probe: probePostgres, diagnose: diagnosePostgres, seed: seedPostgres, clear: clearPostgres } satisfies StoreOperations;
