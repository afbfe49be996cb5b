import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { LABELS } from '../../src/runtime/labels.js';
import { serviceByName } from '../../src/services/catalog.js';
import { runCli } from '../support/cli.js';
import { localImages, missingDockerImages } from '../support/docker-gate.js';

/**
 * `test phase 2c --ephemeral` through the built CLI with the locally built images: the phase passes on a throwaway
 * Temporal on random ports, and nothing it started outlives it.
 */
const missing = await missingDockerImages(['temporal']);
const docker = new Docker();

interface SeenContainer {
  project: string;
  service: string;
  hostPorts: number[];
  hostIps: string[];
}

const ownedBy = (pid: number) => ({ label: [`${LABELS.ephemeralOwnerPid}=${pid}`] });

describe.skipIf(missing)('apex test phase 2c --ephemeral (built CLI, Docker)', () => {
  it('passes on a throwaway Temporal on random ports and removes every container and network', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-ephemeral-'));
    writeFileSync(
      join(dir, 'apex.config.yaml'),
      stringify({ services: Object.fromEntries(Object.entries(localImages()).map(([service, image]) => [service, { image }])) }),
    );

    const run = runCli(dir, ['test', 'phase', '2c', '--ephemeral', '--workflows', '10', '--json']);
    const pid = run.pid!;
    const seen = new Map<string, SeenContainer>();
    const watch = setInterval(() => {
      void docker.listContainers({ filters: ownedBy(pid) }).then(
        (containers) => {
          for (const info of containers) {
            seen.set(info.Id, {
              project: info.Labels[LABELS.composeProject],
              service: info.Labels[LABELS.composeService],
              hostPorts: info.Ports.flatMap((port) => (port.PublicPort ? [port.PublicPort] : [])),
              hostIps: info.Ports.flatMap((port) => (port.PublicPort ? [port.IP] : [])),
            });
          }
        },
        () => undefined,
      );
    }, 500);
    const { stdout, stderr, exitCode } = await run.finally(() => clearInterval(watch));

    expect(exitCode, `${stderr}\n${stdout}`).toBe(0);
    const result = JSON.parse(stdout) as {
      ok: boolean;
      phases: {
        decision: string;
        reportDir: string;
        summary: { passed: number; failed: number; skipped: number; workflowsExecuted: number; workflowsSucceeded: number };
      }[];
    };
    expect(result.ok).toBe(true);
    expect(result.phases[0]).toMatchObject({
      decision: 'proceed',
      summary: { passed: 5, failed: 0, skipped: 0, workflowsExecuted: 50, workflowsSucceeded: 50 },
    });

    // Only Temporal ran, in an ephemeral project, on none of the default ports a developer's stack (or the native servers) use.
    const containers = [...seen.values()];
    expect(containers.map((container) => container.service)).toEqual(['temporal']);
    expect(containers[0].project).toMatch(/^apex-ephemeral-[0-9a-f]+$/);
    const defaults = serviceByName('temporal').ports.map((port) => port.host);
    expect(containers[0].hostPorts.length).toBeGreaterThan(0);
    for (const port of containers[0].hostPorts) expect(defaults).not.toContain(port);
    expect(new Set(containers[0].hostIps)).toEqual(new Set(['127.0.0.1']));
    const { environment } = JSON.parse(readFileSync(join(result.phases[0].reportDir, 'results.json'), 'utf8')) as { environment: { temporalAddress: string } };
    // Reached where the port was published (loopback), even when apex itself runs inside a container.
    expect(environment.temporalAddress).toMatch(new RegExp(`^127\\.0\\.0\\.1:(${containers[0].hostPorts.join('|')})$`));

    expect(await docker.listContainers({ all: true, filters: ownedBy(pid) })).toEqual([]);
    expect(await docker.listNetworks({ filters: ownedBy(pid) })).toEqual([]);
  });
});
