import { zodToJsonSchema } from 'zod-to-json-schema';
import { checkSchema, diagnosisSchema, distributionSchema, failureEvidenceSchema, phaseRunResultSchema, testResultSchema } from './run-result.js';

/** Where the build publishes the JSON Schema of results.json, relative to the package. */
export const RESULTS_JSON_SCHEMA_PATH = 'templates/schemas/results.schema.json';

/** The JSON Schema of results.json, derived from the zod schema the code validates with (draft 2019-09). */
export function resultsJsonSchema(): Record<string, unknown> {
  const schema = zodToJsonSchema(phaseRunResultSchema, {
    target: 'jsonSchema2019-09',
    // Readers accept keys a newer apex adds; only a new schemaVersion breaks them.
    removeAdditionalStrategy: 'strict',
    definitionPath: '$defs',
    definitions: {
      distribution: distributionSchema,
      check: checkSchema,
      evidence: failureEvidenceSchema,
      test: testResultSchema,
      diagnosis: diagnosisSchema,
    },
  });
  return { $id: 'https://apex.local/schemas/results.schema.json', title: 'apex phase run result (reports/<phase>/<timestamp>/results.json)', ...schema };
}

/** The file's content: stable key order, two-space indent, trailing newline. */
export const resultsJsonSchemaText = (): string => `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`;
