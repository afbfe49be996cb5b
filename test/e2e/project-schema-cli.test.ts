import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { createS3Client } from '../../src/services/s3/client.js';
import { removeBuckets } from '../support/isolated-stack.js';
import { adminPool } from '../support/scratch-stores.js';
import { runCli } from '../support/cli.js';
import { seedShape } from '../support/json-shapes.js';
import { externalStack, missingServers } from '../support/servers.js';

const missing = await missingServers(['postgres', 's3']);

const DATABASE = 'apex_project_schema_e2e';
const SQL = 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);\nINSERT INTO notes (body) VALUES ($$seeded; row$$);\n';

/** A project on the CI servers whose config lists its own SQL file and bucket (apex's own bucket names moved aside). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-project-schema-'));
  mkdirSync(join(dir, 'schemas'));
  writeFileSync(join(dir, 'schemas', 'app.sql'), SQL);
  writeFileSync(
    join(dir, 'apex.config.yaml'),
    [
      'runtime: docker',
      'ingestion: { bucket: apex-pse2e, testBucket: apex-pse2e-test }',
      'schema:',
      '  postgres: [schemas/app.sql]',
      '  s3: { buckets: [apex-pse2e-app] }',
      '',
    ].join('\n'),
  );
  return dir;
}

const apex = (dir: string, args: readonly string[]) => runCli(dir, args, { POSTGRES_DB: DATABASE });

describe.skipIf(missing)("apex seed --runtime external with the project's schema files (built CLI, real servers)", () => {
  const { stack } = externalStack();
  afterAll(async () => {
    const admin = adminPool(stack);
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
    const s3 = createS3Client(resolveEndpoint(stack.config, serviceByName('s3')), stack.credentials);
    await removeBuckets(s3, ['apex-pse2e', 'apex-pse2e-test', 'apex-pse2e-app']);
    s3.destroy();
  });

  it('applies the file once, then nothing; an edited file exits 1 naming it; a missing one exits 2 naming the key', { timeout: 120_000 }, async () => {
    const admin = adminPool(stack);
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    const dir = project();

    const first = await apex(dir, ['seed', '--runtime', 'external', '--only', 'postgres,s3', '--json']);
    expect(first.exitCode, first.stderr).toBe(0);
    const results = Object.fromEntries(seedShape.parse(JSON.parse(first.stdout)).results.map((result) => [result.service, result]));
    expect(results.postgres.applied).toEqual(['schema file schemas/app.sql']);
    expect(results.s3.applied).toContain('bucket apex-pse2e-app');

    const second = await apex(dir, ['seed', '--runtime', 'external', '--only', 'postgres']);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toContain('schema file schemas/app.sql');

    writeFileSync(join(dir, 'schemas', 'app.sql'), `${SQL}-- edited\n`);
    const changed = await apex(dir, ['seed', '--runtime', 'external', '--only', 'postgres']);
    expect(changed.exitCode).toBe(1);
    expect(changed.stderr).toContain('schemas/app.sql changed after postgres applied it (checksum differs).');

    writeFileSync(join(dir, 'apex.config.yaml'), 'schema:\n  postgres:\n    - schemas/missing.sql\n');
    const mistake = await apex(dir, ['seed', '--runtime', 'external', '--only', 'postgres']);
    expect(mistake.exitCode).toBe(2);
    expect(mistake.stderr).toContain(
      `apex.config.yaml:3: schema.postgres.0: schemas/missing.sql does not exist (looked for ${join(dir, 'schemas', 'missing.sql')})`,
    );
  });
});
