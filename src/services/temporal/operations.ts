import type { StoreOperations } from '../operations.js';
import { diagnoseTemporal, probeTemporal } from './probe.js';
import { clearTemporal } from './reset.js';
import { seedTemporal } from './seed.js';

export const temporalOperations = { probe: probeTemporal, diagnose: diagnoseTemporal, seed: seedTemporal, clear: clearTemporal } satisfies StoreOperations;
