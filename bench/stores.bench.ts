// Soft reset of every store and the health checks behind `apex status`, against the CI servers.
// Run: set -a; . /var/tmp/apex-servers/ci.env; set +a; npx tsx bench/stores.bench.ts [--json]
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { measure, report } from './harness.js';
import { checkHealth } from '../src/services/health.js';
import { resetStack } from '../src/stack/reset.js';
import { seedStack } from '../src/services/seeding.js';
import { coreStores, isolatedProjectDir, isolatedStack, ISOLATED, ISOLATED_ENV, recreateTestDatabase, storeClients } from '../test/support/isolated-stack.js';

const { stack } = isolatedStack();
const stores = coreStores();
await recreateTestDatabase(stack);
const clients = await storeClients(stack);
const seeded = await seedStack(stack, stores);
if (seeded.some((result) => !result.ok)) throw new Error(`seed failed: ${JSON.stringify(seeded.filter((r) => !r.ok))}`);

/** A small run's worth of data in every store, so that the reset has something to remove. */
async function writeData(): Promise<void> {
  const runId = `bench-${randomUUID()}`;
  const docs = Array.from({ length: 20 }, () => randomUUID());
  for (const doc of docs) {
    await clients.pg.query("INSERT INTO documents (uuid, run_id, file_name, s3_key, content_hash, status) VALUES ($1, $2, 'a.txt', 'k', 'h', 'done')", [
      doc,
      runId,
    ]);
  }
  await clients.neo4j.executeQuery('UNWIND $docs AS doc CREATE (:Document {uuid: doc, runId: $runId})', { docs, runId });
  await clients.qdrant.upsert(ISOLATED.collection, {
    wait: true,
    points: docs.map((doc) => ({ id: doc, vector: Array.from({ length: 384 }, Math.random), payload: { run_id: runId } })),
  });
  await Promise.all(docs.map((doc) => clients.redis.hset(`${ISOLATED.prefix}doc:${runId}:${doc}`, { status: 'done' })));
}

// The floor of any health check: one round trip each to PostgreSQL and Redis on already-open connections.
const baseline = await measure('SELECT 1 + PING on open connections', () => Promise.all([clients.pg.query('SELECT 1'), clients.redis.ping()]), {
  runs: 31,
  warmup: 3,
});

const rows = [];
rows.push({
  ...(await measure('health checks of every core store (apex status)', () => checkHealth(stack, stores), { runs: 15, warmup: 2 })),
  goalMs: 500,
});
rows.push({
  ...(await measure('soft reset of every core store (apex reset)', () => resetStack(stack, stores, { yes: true }), {
    runs: 9,
    before: writeData,
  })),
  goalMs: 3_000,
});

// The same through the built CLI: includes Node's start and module loading, which the goals above do not.
const bin = join(import.meta.dirname, '../bin/run.js');
if (!existsSync(join(import.meta.dirname, '../dist/commands/reset.js'))) {
  console.warn('skipping the CLI measurements: dist/ is missing (npm run build)');
} else {
  const cwd = isolatedProjectDir();
  const cli = (args: string[]) => execa('node', [bin, ...args], { cwd, env: ISOLATED_ENV, stdin: 'ignore' });
  rows.push(await measure('`apex reset --yes --json` process, end to end', () => cli(['reset', '--yes', '--json']), { runs: 5 }));
  if (existsSync(join(import.meta.dirname, '../dist/commands/status.js'))) {
    rows.push(await measure('`apex status --json` process, end to end', () => cli(['status', '--json']), { runs: 5 }));
  }
}

const summary = report(baseline, rows);
if (process.argv.includes('--json')) console.log(JSON.stringify({ baseline: { ...baseline, samples: undefined }, rows: summary }, null, 2));
await clients.close();
