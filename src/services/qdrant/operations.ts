import type { StoreOperations } from '../operations.js';
import { diagnoseQdrant, probeQdrant } from './probe.js';
import { clearQdrant } from './reset.js';
import { seedQdrant } from './seed.js';

export const qdrantOperations = { probe: probeQdrant, diagnose: diagnoseQdrant, seed: seedQdrant, clear: clearQdrant } satisfies StoreOperations;
