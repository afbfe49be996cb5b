import { existsSync } from 'node:fs';
import { readCredentials } from '../config/credentials.js';
import { loadConfig, type LoadedConfig, type LoadOptions } from '../config/load-config.js';
import type { ApexConfig } from '../config/schema.js';
import { ApexError, errorMessage } from '../errors.js';
import { connectDocker, type DockerEngine } from '../runtime/docker/engine.js';
import { LABELS, projectFilter } from '../runtime/labels.js';
import { selectServices, type Selection } from '../services/catalog.js';
import type { ServiceDefinition } from '../services/service.js';
import { checkDisk, checkMemory, checkNodeVersion, checkPorts } from './checks.js';
import { failed, type Finding } from './findings.js';

export interface DoctorReport {
  apiVersion: 1;
  ok: boolean;
  findings: Finding[];
}

/** Everything doctor checks; a failing check never stops the others that do not depend on it. */
export async function runDoctor(loadOptions: LoadOptions, selection: Selection, env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const findings: Finding[] = [checkNodeVersion()];
  let loaded: LoadedConfig | undefined;
  try {
    loaded = loadConfig(loadOptions);
    findings.push({ check: 'config', subject: loaded.configFile ?? '(no apex.config.yaml: defaults)', status: 'ok', message: 'valid' });
    findings.push(credentialsFinding(loaded));
  } catch (error) {
    if (!(error instanceof ApexError)) throw error;
    findings.push({ check: 'config', subject: 'apex.config.yaml', status: 'fail', message: error.message, fix: error.fix });
  }
  if (loaded?.config.runtime === 'external') {
    findings.push({ check: 'docker', subject: 'runtime', status: 'skip', message: "runtime is external: docker, memory and ports are not apex's to manage" });
    return report(findings);
  }
  const engine = await connectDocker(env).catch((error: unknown) => {
    findings.push(dockerFinding(error));
    return undefined;
  });
  if (engine)
    findings.push({
      check: 'docker',
      subject: engine.endpoint.uri,
      status: 'ok',
      message: `Docker Engine ${engine.version} (API ${engine.apiVersion}, ${engine.endpoint.source})`,
    });
  if (loaded) {
    const services = selectServices(loaded.config, selection);
    findings.push(...(await quickChecks(loaded.config, services, engine)));
    findings.push(checkDisk(await dockerDataPath(engine, loaded.projectDir)));
  }
  return report(findings);
}

/** What `apex up` checks before it creates anything: memory for what is not yet running, and every port. */
export async function quickChecks(config: ApexConfig, services: readonly ServiceDefinition[], engine: DockerEngine | undefined): Promise<Finding[]> {
  const running = engine ? await runningServices(engine, config.project) : new Set<string>();
  return [checkMemory(services.filter((service) => !running.has(service.name))), ...(await checkPorts(config, services, engine?.client.containers))];
}

/** Throws the first failure as the error (its fix included), with every other failure listed under it. */
export function assertPreflight(findings: readonly Finding[]): void {
  const failures = failed(findings);
  if (failures.length === 0) return;
  const [first] = failures;
  throw new ApexError(
    first.check === 'port' ? 'PORT_IN_USE' : 'PREFLIGHT_FAILED',
    `${first.message} Nothing was created.`,
    first.fix ?? 'Run `apex doctor` for details.',
    1,
    failures.slice(1).map((finding) => `${finding.message} Fix: ${finding.fix ?? 'see apex doctor'}`),
  );
}

function credentialsFinding(loaded: LoadedConfig): Finding {
  try {
    readCredentials(loaded.env, loaded.envFile, loaded.config.runtime);
    return { check: 'config', subject: loaded.envFile, status: 'ok', message: 'credentials set' };
  } catch (error) {
    const fix = error instanceof ApexError ? error.fix : 'Run `apex init`.';
    return {
      check: 'config',
      subject: loaded.envFile,
      status: 'warn',
      message: `${errorMessage(error)} \`apex up\` writes one with generated passwords.`,
      fix,
    };
  }
}

async function runningServices(engine: DockerEngine, project: string): Promise<Set<string>> {
  const list = await engine.client.containers.list({ all: false, filters: projectFilter(project) });
  return new Set(list.map((info) => info.labels[LABELS.composeService]));
}

async function dockerDataPath(engine: DockerEngine | undefined, fallback: string): Promise<string> {
  const root = await engine?.client.rootDir();
  return root && existsSync(root) ? root : fallback;
}

function dockerFinding(error: unknown): Finding {
  if (error instanceof ApexError) return { check: 'docker', subject: 'engine', status: 'fail', message: error.message, fix: error.fix };
  return { check: 'docker', subject: 'engine', status: 'fail', message: errorMessage(error), fix: 'Check that the Docker Engine runs: `docker version`.' };
}

const report = (findings: Finding[]): DoctorReport => ({ apiVersion: 1, ok: failed(findings).length === 0, findings });
