import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ApexError } from '../errors.js';
import { resolveEndpoint } from '../services/catalog.js';
import type { ServiceDefinition, StackContext } from '../services/service.js';

/**
 * The external runtime: services apex did not start (the CI servers, a shared environment), reached at
 * services.<name>.host/ports/tls. apex never starts or stops them; it checks, seeds and resets them.
 */
export const isExternalRuntime = (stack: StackContext): boolean => stack.config.runtime === 'external';

/** This machine's own addresses: loopback and every interface's. */
export function localAddresses(interfaces = networkInterfaces()): Set<string> {
  const addresses = new Set(['127.0.0.1', '::1']);
  for (const entries of Object.values(interfaces)) for (const entry of entries ?? []) addresses.add(entry.address);
  return addresses;
}

const normalise = (address: string): string =>
  address
    .replace(/^\[|\]$/g, '')
    .replace(/^::ffff:/i, '')
    .toLowerCase();

/** Whether an IP address is this machine's: 127.0.0.0/8, ::1, or one of its interfaces' addresses. */
export function isLocalAddress(address: string, local = localAddresses()): boolean {
  const plain = normalise(address);
  if (isIP(plain) === 4 && plain.startsWith('127.')) return true;
  return [...local].some((candidate) => normalise(candidate) === plain);
}

export type Resolver = (host: string) => Promise<string[]>;

const dnsResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((entry) => entry.address);

/** A host is this machine when it is "localhost" or every address it resolves to is local. */
export async function isLocalHost(host: string, resolve: Resolver = dnsResolver, local = localAddresses()): Promise<boolean> {
  const plain = normalise(host);
  if (plain === 'localhost' || plain.endsWith('.localhost')) return true;
  if (isIP(plain)) return isLocalAddress(plain, local);
  try {
    const addresses = await resolve(plain);
    return addresses.length > 0 && addresses.every((address) => isLocalAddress(address, local));
  } catch {
    return false;
  }
}

/**
 * A reset must never wipe a shared environment by accident: on the external runtime every target must be on this
 * machine, unless the user says --force.
 */
export async function assertResetTargetsLocal(
  stack: StackContext,
  services: readonly ServiceDefinition[],
  options: { force?: boolean; resolve?: Resolver } = {},
): Promise<void> {
  if (!isExternalRuntime(stack) || options.force) return;
  const remote: string[] = [];
  for (const service of services) {
    const { host } = resolveEndpoint(stack.config, service);
    if (!(await isLocalHost(host, options.resolve))) remote.push(`${service.name} at ${host}`);
  }
  if (remote.length === 0) return;
  throw new ApexError(
    'RESET_REMOTE_TARGET',
    `Refusing to reset ${remote.join(', ')}: not on this machine, so possibly a shared environment.`,
    'If wiping it is really intended, run the reset again with --force.',
    2,
  );
}
