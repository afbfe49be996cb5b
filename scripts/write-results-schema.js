// Build step after tsc: publishes the JSON Schema of results.json, derived from the zod schema in
// src/results/run-result.ts (a unit test fails when the committed file has drifted from it).
import { writeFileSync } from 'node:fs';
import { RESULTS_JSON_SCHEMA_PATH, resultsJsonSchemaText } from '../dist/results/results-json-schema.js';

writeFileSync(new URL(`../${RESULTS_JSON_SCHEMA_PATH}`, import.meta.url), resultsJsonSchemaText());
