import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../../src/config/stack-context.js';
import { currentRun } from '../../fixtures/reports/sample-results.js';

interface Schema {
  required?: string[];
  properties?: Record<string, Schema>;
  $defs?: Record<string, Schema>;
}

const schema = JSON.parse(readFileSync(join(TEMPLATES_DIR, 'schemas/results.schema.json'), 'utf8')) as Schema;

/** Every key of the object is documented in the schema, and every required key is present. */
function expectDocumented(value: Record<string, unknown>, node: Schema, path: string): void {
  for (const key of node.required ?? []) expect(value, `${path}.${key} is required`).toHaveProperty(key);
  for (const key of Object.keys(value)) expect(node.properties, `${path}.${key} is not in results.schema.json`).toHaveProperty(key);
}

describe('results.schema.json documents results.json', () => {
  it('covers the top level, the summary, the environment and every test', () => {
    expectDocumented(currentRun as unknown as Record<string, unknown>, schema, 'result');
    expectDocumented(currentRun.summary as unknown as Record<string, unknown>, schema.properties!.summary, 'summary');
    expectDocumented(currentRun.environment as unknown as Record<string, unknown>, schema.properties!.environment, 'environment');
    for (const test of currentRun.tests) {
      expectDocumented(test as unknown as Record<string, unknown>, schema.$defs!.test, test.name);
      expectDocumented(test.metrics as unknown as Record<string, unknown>, schema.$defs!.test.properties!.metrics, `${test.name}.metrics`);
    }
    for (const diagnosis of currentRun.diagnoses) expectDocumented(diagnosis as unknown as Record<string, unknown>, schema.$defs!.diagnosis, 'diagnosis');
  });
});
