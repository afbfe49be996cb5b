import { describe, expect, it } from 'vitest';
import { ApexError } from '../../../src/errors.js';
import { configSchema } from '../../../src/config/schema.js';
import { assertResetTargetsLocal, isLocalAddress, isLocalHost, localAddresses } from '../../../src/runtime/external.js';
import { serviceByName } from '../../../src/services/catalog.js';
import type { StackContext } from '../../../src/services/service.js';

const interfaces = {
  lo: [
    { address: '127.0.0.1', family: 'IPv4' },
    { address: '::1', family: 'IPv6' },
  ],
  eth0: [
    { address: '10.1.2.3', family: 'IPv4' },
    { address: 'fe80::1', family: 'IPv6' },
  ],
} as unknown as ReturnType<typeof import('node:os').networkInterfaces>;
const local = localAddresses(interfaces);
const resolver = (table: Record<string, string[]>) => async (host: string) => {
  if (!table[host]) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return table[host];
};

describe('isLocalAddress', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1', '10.1.2.3', 'FE80::1'])('%s is local', (address) => {
    expect(isLocalAddress(address, local)).toBe(true);
  });
  it.each(['10.1.2.4', '192.168.1.1', '8.8.8.8', '::2'])('%s is not', (address) => {
    expect(isLocalAddress(address, local)).toBe(false);
  });
});

describe('isLocalHost', () => {
  const resolve = resolver({ 'me.example': ['10.1.2.3'], 'shared.example': ['10.9.9.9'], 'mixed.example': ['127.0.0.1', '10.9.9.9'] });
  it('takes localhost and names that resolve only to this machine', async () => {
    expect(await isLocalHost('localhost', resolve, local)).toBe(true);
    expect(await isLocalHost('me.example', resolve, local)).toBe(true);
    expect(await isLocalHost('127.0.0.1', resolve, local)).toBe(true);
  });
  it('refuses names that resolve elsewhere, even in part, or not at all', async () => {
    expect(await isLocalHost('shared.example', resolve, local)).toBe(false);
    expect(await isLocalHost('mixed.example', resolve, local)).toBe(false);
    expect(await isLocalHost('nowhere.example', resolve, local)).toBe(false);
    expect(await isLocalHost('10.200.0.1', resolve, local)).toBe(false);
  });
});

describe('assertResetTargetsLocal', () => {
  const stackWith = (config: object): StackContext =>
    ({ config: configSchema.parse(config), credentials: {}, projectDir: '/tmp', templatesDir: '/tmp' }) as unknown as StackContext;
  const stores = ['postgres', 'redis'].map(serviceByName);
  const resolve = resolver({ 'db.shared.example': ['10.9.9.9'] });

  it('refuses a remote external target and names it', async () => {
    const stack = stackWith({ runtime: 'external', services: { postgres: { host: 'db.shared.example' } } });
    const error = await assertResetTargetsLocal(stack, stores, { resolve }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApexError);
    expect((error as ApexError).message).toContain('postgres at db.shared.example');
    expect((error as ApexError).message).not.toContain('redis');
    expect((error as ApexError).fix).toContain('--force');
  });

  it('lets --force through, and never guards the docker runtime or local targets', async () => {
    const remote = stackWith({ runtime: 'external', services: { postgres: { host: 'db.shared.example' } } });
    await expect(assertResetTargetsLocal(remote, stores, { resolve, force: true })).resolves.toBeUndefined();
    await expect(assertResetTargetsLocal(stackWith({ runtime: 'external' }), stores, { resolve })).resolves.toBeUndefined();
    await expect(assertResetTargetsLocal(stackWith({ runtime: 'docker' }), stores, { resolve })).resolves.toBeUndefined();
  });
});
