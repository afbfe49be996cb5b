// `apex reset --hard` of every core store on the Docker Engine (local images, own project and ports), end to end
// through the built CLI, against `apex up` of the same stack as the baseline.
// Run: npm run build; npx tsx bench/reset-hard.bench.ts [--runs N]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { measure, report } from './harness.js';
import { localImages } from '../test/support/docker-gate.js';

const PORTS = {
  temporal: { grpc: 47233, ui: 48233, metrics: 49000 },
  postgres: { postgres: 45432 },
  neo4j: { bolt: 47687, http: 47474 },
  qdrant: { http: 46333 },
  redis: { redis: 46379 },
  s3: { http: 44566 },
};
const images = localImages();
const dir = mkdtempSync(join(tmpdir(), 'apex-hard-bench-'));
writeFileSync(
  join(dir, 'apex.config.yaml'),
  stringify({
    project: 'apex-hard-bench',
    services: Object.fromEntries(Object.entries(PORTS).map(([service, ports]) => [service, { image: images[service], ports }])),
  }),
);
const bin = join(import.meta.dirname, '../bin/run.js');
const apex = (args: string[]) => execa('node', [bin, ...args], { cwd: dir, stdin: 'ignore', env: { NO_COLOR: '1' } });
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;

try {
  await apex(['down', '--volumes', '--yes']).catch(() => undefined);
  const up = await measure('`apex up` of the core stack from nothing', () => apex(['up', '--json']), {
    runs: 1,
    warmup: 0,
    before: () =>
      apex(['down', '--volumes', '--yes']).then(
        () => undefined,
        () => undefined,
      ),
  });
  const hard = await measure('`apex reset --hard --yes` of every core store', () => apex(['reset', '--hard', '--yes', '--json']), {
    runs,
    warmup: 0,
  });
  const soft = await measure('`apex reset --yes` (soft) of the same stack', () => apex(['reset', '--yes', '--json']), { runs, warmup: 0 });
  report(up, [
    { ...hard, goalMs: 30_000 },
    { ...soft, goalMs: 3_000 },
  ]);
} finally {
  await apex(['down', '--volumes', '--yes']).catch(() => undefined);
}
