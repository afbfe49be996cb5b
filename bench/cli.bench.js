// The CLI's own costs, against the goals of issue A: `apex --version` ≤ 150 ms, `apex status` on a healthy stack
// ≤ 500 ms, an idempotent `apex up` ≤ 2 s. Needs `npm run build`, a Docker Engine and the local images
// (test/images/build-images.sh). Run: node bench/cli.bench.js [--runs 7]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { measure, report } from './harness.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url));
const images = parse(readFileSync(new URL('../test/images/images.override.yaml', import.meta.url), 'utf8')).services;
const dir = mkdtempSync(join(tmpdir(), 'apex-bench-'));
writeFileSync(
  join(dir, 'apex.config.yaml'),
  stringify({
    project: 'apex-bench',
    services: {
      postgres: { image: images.postgres.image, ports: { postgres: 25440 } },
      redis: { image: images.redis.image, ports: { redis: 26390 } },
    },
  }),
);
const apex = (...args) => execa('node', [bin, ...args], { cwd: dir, env: { NO_COLOR: '1', NODE_ENV: 'production' } });
const node = (...args) => execa('node', args, { cwd: dir });
// What any docker client pays: start node, load dockerode, list the project's containers.
const listContainers = `import('${import.meta.resolve('dockerode')}').then(({ default: Docker }) => new Docker().listContainers({ all: true, filters: { label: ['com.docker.compose.project=apex-bench'] } }))`;

process.stderr.write('bringing up apex-bench (postgres, redis)…\n');
await apex('down', '--volumes', '--yes'); // leftovers of an interrupted run
await apex('up', '--only', 'postgres,redis');
try {
  const startup = await measure('node -e 0', () => node('-e', '0'), { runs });
  const version = await measure('apex --version', () => apex('--version'), { runs });
  const dockerBaseline = await measure('node + dockerode listContainers', () => node('--input-type=module', '-e', listContainers), { runs });
  const status = await measure('apex status (healthy stack)', () => apex('status'), { runs });
  const up = await measure('apex up (idempotent, healthy stack)', () => apex('up', '--only', 'postgres,redis'), { runs: Math.max(3, Math.ceil(runs / 2)) });
  report(startup, [{ ...version, goalMs: 150 }]);
  report(dockerBaseline, [
    { ...status, goalMs: 500 },
    { ...up, goalMs: 2000 },
  ]);
} finally {
  await apex('down', '--volumes', '--yes');
}
