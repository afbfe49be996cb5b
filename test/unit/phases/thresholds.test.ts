import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { ApexError } from '../../../src/errors.js';
import { parseThresholds, phase2cThresholds, phase2dThresholds } from '../../../src/phases/thresholds.js';

const config = (phases: Record<string, Record<string, unknown>>) => configSchema.parse({ phases });

describe('phase thresholds', () => {
  it("default to the seeds' sizes", () => {
    const t2c = parseThresholds(config({}), '2c', phase2cThresholds);
    expect(t2c.concurrentWorkflows).toBe(100);
    const t2d = parseThresholds(config({}), '2d', phase2dThresholds);
    expect([t2d.concurrentWorkflows, t2d.sagaWorkflows, t2d.writeConcurrencyWorkflows, t2d.latencyWorkflows, t2d.sustainedWorkflows]).toEqual([
      50, 20, 30, 50, 100,
    ]);
  });

  it('name the exact config key on a wrong type, and exit 2', () => {
    try {
      parseThresholds(config({ '2d': { sagaWorkflows: 'twenty' } }), '2d', phase2dThresholds);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApexError);
      expect((error as ApexError).message).toContain('`phases.2d.sagaWorkflows`');
      expect((error as ApexError).exitCode).toBe(2);
    }
  });

  it('name unknown keys', () => {
    expect(() => parseThresholds(config({ '2c': { minThroughput: 5 } }), '2c', phase2cThresholds)).toThrow(/phases\.2c.*minThroughput/);
  });
});
