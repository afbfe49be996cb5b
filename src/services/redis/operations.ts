import type { StoreOperations } from '../operations.js';
import { diagnoseRedis, probeRedis } from './probe.js';
import { clearRedis } from './reset.js';
import { seedRedis } from './seed.js';

export const redisOperations = { probe: probeRedis, diagnose: diagnoseRedis, seed: seedRedis, clear: clearRedis } satisfies StoreOperations;
