import { loadStack, type StackLoadOptions } from '../config/stack-context.js';
import { seedStack, type SeedResult } from '../services/seeding.js';
import { storeTargets } from '../services/store-targets.js';

/** `apex seed`: the chosen stores (default: every store of the stack), seeded in parallel; a failure is per store. */
export function runSeed(loadOptions: StackLoadOptions, only?: readonly string[]): Promise<SeedResult[]> {
  const { stack } = loadStack(loadOptions);
  return seedStack(stack, storeTargets(stack.config, only, 'seed'));
}
