import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../../src/services/catalog.js';

describe('service operations', () => {
  it('declare exactly the capabilities that each service’s loaded operations implement', async () => {
    for (const { name, operations: entry } of SERVICES) {
      const operations = await entry.load();
      const implemented = (['seed', 'clear'] as const).filter((capability) => operations[capability]);
      expect({ name, capabilities: [...entry.capabilities] }).toEqual({ name, capabilities: implemented });
      expect(typeof operations.probe, name).toBe('function');
    }
  });
});
