import type { StoreOperations } from '../operations.js';
import { diagnoseS3, probeS3 } from './probe.js';
import { clearS3 } from './reset.js';
import { seedS3 } from './seed.js';

export const s3Operations = { probe: probeS3, diagnose: diagnoseS3, seed: seedS3, clear: clearS3 } satisfies StoreOperations;
