import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { resolveEndpoint, serviceByName } from '../../src/services/catalog.js';
import { createNeo4jDriver } from '../../src/services/neo4j/client.js';
import { createPostgresPool } from '../../src/services/postgres/client.js';
import { skipOrFail } from '../support/docker-gate.js';
import { adminPool } from '../support/scratch-stores.js';
import { externalStack, missingServers } from '../support/servers.js';

/**
 * What the Apex Memory team's code needs of the servers beyond plain SQL and Cypher: pgvector (`embedding
 * vector(1536)`, ordered by distance) and APOC's procedures. The native test servers have both, as the images of the
 * `apex-memory` contract do.
 */
const missing = await missingServers(['postgres', 'neo4j']);
const DIMENSIONS = 1536;

/** Why the extension tests cannot run on servers provisioned without pgvector or APOC (in CI: a failure). */
async function missingExtensions(): Promise<{ pgvector?: string; apoc?: string }> {
  if (missing) return { pgvector: missing, apoc: missing };
  const { stack } = externalStack();
  const admin = adminPool(stack);
  const driver = createNeo4jDriver(resolveEndpoint(stack.config, serviceByName('neo4j')), stack.credentials);
  try {
    const vector = await admin.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    const apoc = await driver.executeQuery("SHOW FUNCTIONS YIELD name WHERE name = 'apoc.version' RETURN name");
    const reason = (what: string) => `the test ${what} (run test/provision/provision.sh)`;
    return {
      pgvector: skipOrFail('the pgvector tests', vector.rowCount === 0 ? reason('PostgreSQL has no pgvector extension') : undefined),
      apoc: skipOrFail('the APOC tests', apoc.records.length === 0 ? reason('Neo4j has no APOC procedures') : undefined),
    };
  } finally {
    await admin.end();
    await driver.close();
  }
}
const unavailable = await missingExtensions();

/** A 1536-dimension vector in pgvector's text form, zero but for the first coordinates given. */
const vector = (...leading: number[]): string => `[${[...leading, ...Array<number>(DIMENSIONS - leading.length).fill(0)].join(',')}]`;

describe.skipIf(unavailable.pgvector)('pgvector on the test PostgreSQL', () => {
  const { stack } = externalStack();
  const database = `apex_pgvector_${process.pid}_${Date.now()}`;
  let pool: pg.Pool;

  beforeAll(async () => {
    const admin = adminPool(stack);
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    pool = createPostgresPool(resolveEndpoint(stack.config, serviceByName('postgres')), { ...stack.credentials, postgresDb: database }, 1);
  });

  afterAll(async () => {
    await pool?.end();
    const admin = adminPool(stack);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('creates the extension and a vector(1536) column, and orders rows by L2 and by cosine distance', async () => {
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
    const { rows: extension } = await pool.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
    expect(extension[0].extversion).toMatch(/^0\.\d+\.\d+$/);
    await pool.query(`CREATE TABLE chunks (id text PRIMARY KEY, embedding vector(${DIMENSIONS}) NOT NULL)`);
    await pool.query('CREATE INDEX chunks_embedding ON chunks USING hnsw (embedding vector_cosine_ops)');
    const rows = { a: vector(1, 0), b: vector(0.6, 0.8), c: vector(0, 3), d: vector(10, 1) };
    for (const [id, embedding] of Object.entries(rows)) await pool.query('INSERT INTO chunks VALUES ($1, $2)', [id, embedding]);

    const query = vector(2, 0);
    const byL2 = await pool.query<{ id: string; distance: number }>('SELECT id, embedding <-> $1 AS distance FROM chunks ORDER BY embedding <-> $1', [query]);
    expect(byL2.rows.map((row) => row.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(byL2.rows[1].distance).toBeCloseTo(Math.sqrt(2.6), 5);
    // Cosine distance ignores length: d = (10, 1) points almost the query's way, c = (0, 3) at right angles to it.
    const byCosine = await pool.query<{ id: string; distance: number }>('SELECT id, embedding <=> $1 AS distance FROM chunks ORDER BY embedding <=> $1', [
      query,
    ]);
    expect(byCosine.rows.map((row) => row.id)).toEqual(['a', 'd', 'b', 'c']);
    expect(byCosine.rows.map((row) => Number(row.distance.toFixed(4)))).toEqual([0, Number((1 - 10 / Math.sqrt(101)).toFixed(4)), 0.4, 1]);
  });

  it('refuses a vector of another dimension', async () => {
    await expect(pool.query('INSERT INTO chunks VALUES ($1, $2)', ['short', '[1,2,3]'])).rejects.toThrow(`expected ${DIMENSIONS} dimensions, not 3`);
  });
});

describe.skipIf(unavailable.apoc)('APOC on the test Neo4j', () => {
  const { stack } = externalStack();
  const driver = createNeo4jDriver(resolveEndpoint(stack.config, serviceByName('neo4j')), stack.credentials);
  const runId = `apoc-${process.pid}-${Date.now()}`;

  afterAll(async () => {
    await driver.executeQuery('MATCH (n:ApexApocTest {runId: $runId}) DETACH DELETE n', { runId });
    await driver.close();
  });

  it("answers apoc.version() with its server's 5.26 line", async () => {
    const { records } = await driver.executeQuery('RETURN apoc.version() AS version');
    expect(records[0].get('version')).toMatch(/^5\.26\.\d+$/);
  });

  it('creates nodes and a relationship with dynamic labels and type through apoc.create.*', async () => {
    const { records } = await driver.executeQuery(
      `CALL apoc.create.node(['ApexApocTest', $label], {runId: $runId, name: 'doc'}) YIELD node AS doc
       CALL apoc.create.node(['ApexApocTest'], {runId: $runId, name: 'entity'}) YIELD node AS entity
       CALL apoc.create.relationship(doc, $type, {weight: 2}, entity) YIELD rel
       RETURN apoc.coll.sort(labels(doc)) AS labels, type(rel) AS type, rel.weight AS weight`,
      { runId, label: 'Document', type: 'MENTIONS' },
    );
    expect(records.map((record) => record.toObject())).toEqual([{ labels: ['ApexApocTest', 'Document'], type: 'MENTIONS', weight: 2 }]);
    const stored = await driver.executeQuery('MATCH (:ApexApocTest:Document {runId: $runId})-[r:MENTIONS]->(e:ApexApocTest) RETURN e.name AS name', { runId });
    expect(stored.records.map((record) => record.get('name'))).toEqual(['entity']);
  });
});
