import { describe, expect, it } from 'vitest';
import { STORE_OPERATIONS } from '../../../src/services/store-registry.js';

describe('STORE_OPERATIONS', () => {
  it('declares exactly the capabilities that each service’s loaded operations implement', async () => {
    for (const [name, entry] of Object.entries(STORE_OPERATIONS)) {
      const operations = await entry.load();
      const implemented = (['seed', 'clear'] as const).filter((capability) => operations[capability]);
      expect({ name, capabilities: [...entry.capabilities] }).toEqual({ name, capabilities: implemented });
      expect(typeof operations.probe, name).toBe('function');
    }
  });
});
