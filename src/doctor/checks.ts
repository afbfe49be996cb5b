import { statfsSync } from 'node:fs';
import { freemem } from 'node:os';
import { LABELS } from '../runtime/labels.js';
import { publishedPorts } from '../runtime/docker/container-plan.js';
import type { ContainerClient } from '../runtime/docker/engine-client.js';
import type { ApexConfig } from '../config/schema.js';
import type { ServiceDefinition } from '../services/service.js';
import type { Finding } from './findings.js';
import { ephemeralPortRange, isPortFree } from '../runtime/ports.js';
import { processListeningOn } from './port-holders.js';

const MIN_NODE_MAJOR = 20;
const GIB = 1024 ** 3;

export function checkNodeVersion(version = process.versions.node): Finding {
  const major = Number(version.split('.')[0]);
  return major >= MIN_NODE_MAJOR
    ? { check: 'node', subject: 'node', status: 'ok', message: `Node.js ${version}` }
    : {
        check: 'node',
        subject: 'node',
        status: 'fail',
        message: `Node.js ${version} is too old; apex needs ${MIN_NODE_MAJOR} or later.`,
        fix: `Install Node.js ${MIN_NODE_MAJOR}+ (e.g. \`nvm install 20\`) and run apex with it.`,
      };
}

/** Memory the not-yet-running services need against what the machine has available now. */
export function checkMemory(toStart: readonly ServiceDefinition[], availableBytes = freemem()): Finding {
  const neededMb = toStart.reduce((sum, service) => sum + service.memoryMb, 0);
  const availableMb = Math.floor(availableBytes / 1024 ** 2);
  const subject = toStart.map((service) => service.name).join(', ') || 'nothing to start';
  if (neededMb <= availableMb) {
    return { check: 'memory', subject, status: 'ok', message: `${availableMb} MiB available, ${neededMb} MiB needed` };
  }
  return {
    check: 'memory',
    subject,
    status: 'fail',
    message: `Only ${availableMb} MiB of memory is available; starting ${subject} needs about ${neededMb} MiB.`,
    fix: 'Close other programs or containers (`docker ps`), give Docker Desktop/Colima more memory, or start fewer services (`apex up --only postgres,redis`).',
  };
}

export function checkDisk(path: string, statfs = statfsSync): Finding {
  const stats = statfs(path);
  const free = stats.bavail * stats.bsize;
  const freeGib = (free / GIB).toFixed(1);
  const subject = path;
  if (free >= 5 * GIB) return { check: 'disk', subject, status: 'ok', message: `${freeGib} GiB free` };
  const fix = `Free disk space under ${path} (\`docker system prune\` removes unused images and containers).`;
  if (free >= 2 * GIB) return { check: 'disk', subject, status: 'warn', message: `Only ${freeGib} GiB free; images and data may not fit.`, fix };
  return { check: 'disk', subject, status: 'fail', message: `Only ${freeGib} GiB free under ${path}; the stack needs at least 2 GiB.`, fix };
}

interface PortOwner {
  container: string;
  project?: string;
  service?: string;
}

/** Every host port the services publish must be free, or held by this stack's own container for that service. */
export async function checkPorts(config: ApexConfig, services: readonly ServiceDefinition[], containers: ContainerClient | undefined): Promise<Finding[]> {
  const owners = containers ? await publishedPortOwners(containers) : new Map<number, PortOwner>();
  return Promise.all(
    services.flatMap((service) =>
      publishedPorts(config, service).map(async (port): Promise<Finding> => {
        const subject = `${service.name} ${port.bindAddress}:${port.host}`;
        const owner = owners.get(port.host);
        if (owner && owner.project === config.project && owner.service === service.name) {
          return { check: 'port', subject, status: 'ok', message: `held by this stack's ${owner.container}` };
        }
        if (await isPortFree(port.bindAddress, port.host)) return { check: 'port', subject, status: 'ok', message: 'free' };
        const holder = describeHolder(port.host, owner);
        return {
          check: 'port',
          subject,
          status: 'fail',
          message: `Port ${port.host} (${service.name} ${port.name}) on ${port.bindAddress} is already in use by ${holder.who}.`,
          fix: `${holder.stop}, or publish ${service.name} elsewhere: set \`services.${service.name}.ports.${port.name}: ${holder.freePort}\` in apex.config.yaml.`,
        };
      }),
    ),
  );
}

/** Who holds a taken port, how to free it, and what to publish instead. */
function describeHolder(port: number, owner: PortOwner | undefined): { who: string; stop: string; freePort: string } {
  if (owner) return { who: `container ${owner.container}`, stop: `Stop it (\`docker stop ${owner.container}\`)`, freePort: '<free port>' };
  const listener = processListeningOn(port);
  if (listener) return { who: `process ${listener.pid} (${listener.command})`, stop: 'Stop that process', freePort: '<free port>' };
  const ephemeral = ephemeralPortRange();
  if (ephemeral && port >= ephemeral.low && port <= ephemeral.high) {
    return {
      who: `an outgoing connection: nothing listens on it, and ${port} lies in the kernel's ephemeral range ${ephemeral.low}-${ephemeral.high}, from which every connection takes its local port`,
      stop: 'Retry once that connection has closed',
      freePort: `<free port below ${ephemeral.low}>`,
    };
  }
  return { who: 'another program (run `ss -ltnp` to name it)', stop: 'Stop that process', freePort: '<free port>' };
}

async function publishedPortOwners(containers: ContainerClient): Promise<Map<number, PortOwner>> {
  const owners = new Map<number, PortOwner>();
  for (const info of await containers.list({ all: false })) {
    for (const port of info.publishedPorts) {
      owners.set(port, { container: info.name, project: info.labels[LABELS.composeProject], service: info.labels[LABELS.composeService] });
    }
  }
  return owners;
}
