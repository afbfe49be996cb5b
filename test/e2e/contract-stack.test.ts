import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadStack } from '../../src/config/stack-context.js';
import { createPortAllocator } from '../../src/runtime/ports.js';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { createNeo4jDriver } from '../../src/services/neo4j/client.js';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import { runCli } from '../support/cli.js';
import { localImages, missingDockerImages } from '../support/docker-gate.js';
import { upShape } from '../support/json-shapes.js';

const { freePort } = createPortAllocator();

/**
 * The `apex-memory` contract's stack on the Docker Engine (built CLI, locally built images, its own project and free
 * ports): the PostgreSQL it starts has pgvector, and the Neo4j it starts loads APOC because the contract asks for it.
 */
const PROJECT = `apex-e2e-contract-${process.pid}`;
const missing = await missingDockerImages(['postgres', 'neo4j']);

describe.skipIf(missing)("the apex-memory contract's stack (built CLI, local images)", { timeout: 300_000 }, () => {
  const images = missing ? {} : localImages();
  const dir = mkdtempSync(join(tmpdir(), `${PROJECT}-`));
  let loaded: ReturnType<typeof loadStack>;

  beforeAll(async () => {
    writeFileSync(
      join(dir, 'apex.config.yaml'),
      stringify({
        project: PROJECT,
        contract: 'apex-memory',
        services: {
          postgres: { image: images.postgres, ports: { postgres: await freePort() } },
          neo4j: { image: images.neo4j, ports: { bolt: await freePort(), http: await freePort() } },
        },
      }),
    );
    const up = await runCli(dir, ['up', '--only', 'postgres,neo4j', '--json']);
    expect(up.exitCode, up.stderr + up.stdout).toBe(0);
    expect(upShape.parse(JSON.parse(up.stdout)).services.map((service) => [service.service, service.healthy])).toEqual([
      ['postgres', true],
      ['neo4j', true],
    ]);
    loaded = loadStack({ cwd: dir });
  });

  afterAll(async () => {
    await runCli(dir, ['down', '--volumes', '--yes']);
  });

  it('PostgreSQL creates the vector extension and computes a distance', async () => {
    const pool = createPostgresPool(resolveEndpoint(loaded.config, serviceByName('postgres')), loaded.stack.credentials, 1);
    try {
      await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
      const { rows } = await pool.query<{ distance: number }>("SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector AS distance");
      expect(rows).toEqual([{ distance: 2 }]);
    } finally {
      await pool.end();
    }
  });

  it('Neo4j answers apoc.version() and runs apoc.create.node', async () => {
    const driver = createNeo4jDriver(resolveEndpoint(loaded.config, serviceByName('neo4j')), loaded.stack.credentials);
    try {
      const { records } = await driver.executeQuery(
        "CALL apoc.create.node(['Probe'], {name: 'apoc'}) YIELD node RETURN apoc.version() AS version, labels(node) AS labels",
      );
      expect(records[0].get('version')).toMatch(/^5\.26\.\d+$/);
      expect(records[0].get('labels')).toEqual(['Probe']);
    } finally {
      await driver.close();
    }
  });
});
