import { connect, createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { checkMemory, checkNodeVersion, checkPorts } from '../../../src/doctor/checks.js';
import { parseProcNetTcp, processListeningOn } from '../../../src/doctor/port-holders.js';
import { ephemeralPortRange, isPortFree } from '../../../src/runtime/ports.js';
import { serviceByName } from '../../../src/services/catalog.js';

const PROC_NET_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 29139 1 0000000000000000 100 0 0 10 0
   1: 00000000:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 54074 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1538 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000   106        0 61000 1 0000000000000000 20 4 30 10 -1
`;

const listen = (port = 0, host = '127.0.0.1'): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen({ port, host }, () => resolve(server));
  });
const portOf = (server: Server): number => (server.address() as { port: number }).port;

describe('port holders', () => {
  it('parses the LISTEN sockets of /proc/net/tcp with address, port and inode', () => {
    expect(parseProcNetTcp(PROC_NET_TCP)).toEqual([
      { address: '127.0.0.1', port: 5432, inode: 29139 },
      { address: '0.0.0.0', port: 6379, inode: 54074 },
    ]);
  });

  it('names the process that holds a real port', async () => {
    const server = await listen();
    try {
      const holder = processListeningOn(portOf(server));
      expect(holder?.pid).toBe(process.pid);
      expect(holder?.command).toContain('node');
      expect(await isPortFree('127.0.0.1', portOf(server))).toBe(false);
    } finally {
      server.close();
    }
  });

  it('sees a free port as free', async () => {
    const server = await listen();
    const port = portOf(server);
    await new Promise((resolve) => server.close(resolve));
    expect(await isPortFree('127.0.0.1', port)).toBe(true);
    expect(processListeningOn(port)).toBeUndefined();
  });
});

describe('doctor checks', () => {
  it('fails a taken port with its holder and the config key that moves it', async () => {
    const server = await listen();
    const port = portOf(server);
    try {
      const config = configSchema.parse({ services: { redis: { ports: { redis: port } } } });
      const [finding] = await checkPorts(config, [serviceByName('redis')], undefined);
      expect(finding).toMatchObject({ check: 'port', subject: `redis 127.0.0.1:${port}`, status: 'fail' });
      expect(finding.message).toBe(
        `Port ${port} (redis redis) on 127.0.0.1 is already in use by process ${process.pid} (${processListeningOn(port)?.command}).`,
      );
      expect(finding.fix).toBe(`Stop that process, or publish redis elsewhere: set \`services.redis.ports.redis: <free port>\` in apex.config.yaml.`);
    } finally {
      server.close();
    }
  });

  it.runIf(ephemeralPortRange())('names an outgoing connection that took a port of the ephemeral range, and asks for a port below it', async () => {
    const { low } = ephemeralPortRange()!;
    const server = await listen();
    // The kernel picks the local port of a plain connect from its ephemeral range, as it did for whatever took 35432 in CI.
    const client = connect({ host: '127.0.0.1', port: portOf(server) });
    try {
      await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
      const port = client.localPort!;
      expect(port).toBeGreaterThanOrEqual(low);
      const config = configSchema.parse({ services: { redis: { ports: { redis: port } } } });
      const [finding] = await checkPorts(config, [serviceByName('redis')], undefined);
      expect(finding.status).toBe('fail');
      expect(finding.message).toContain(
        `is already in use by an outgoing connection: nothing listens on it, and ${port} lies in the kernel's ephemeral range ${low}-`,
      );
      expect(finding.fix).toBe(
        `Retry once that connection has closed, or publish redis elsewhere: set \`services.redis.ports.redis: <free port below ${low}>\` in apex.config.yaml.`,
      );
    } finally {
      client.destroy();
      server.close();
    }
  });

  it('compares the memory the services need with what is available', () => {
    const services = [serviceByName('neo4j'), serviceByName('postgres')];
    expect(checkMemory(services, 4 * 1024 ** 3)).toMatchObject({ status: 'ok', message: '4096 MiB available, 1224 MiB needed' });
    const low = checkMemory(services, 512 * 1024 ** 2);
    expect(low.status).toBe('fail');
    expect(low.message).toBe('Only 512 MiB of memory is available; starting neo4j, postgres needs about 1224 MiB.');
    expect(low.fix).toContain('apex up --only');
  });

  it('requires Node 20 or later', () => {
    expect(checkNodeVersion('20.3.0').status).toBe('ok');
    expect(checkNodeVersion('18.19.0')).toMatchObject({ status: 'fail', message: 'Node.js 18.19.0 is too old; apex needs 20 or later.' });
  });
});
