import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../../src/services/service.js';
import { temporalTls } from '../../../src/services/temporal/client.js';

const endpoint = (tls?: ServiceEndpoint['tls']): ServiceEndpoint => ({ service: 'temporal', host: 'temporal.example', ports: { grpc: 7233 }, tls });

describe('temporalTls', () => {
  it('is off without services.temporal.tls, or with enabled: false', () => {
    expect(temporalTls(endpoint())).toBeUndefined();
    expect(temporalTls(endpoint({ enabled: false, caFile: '/nonexistent/ca.pem' }))).toBeUndefined();
  });

  it('reads the CA and the client certificate pair from their files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-tls-'));
    for (const name of ['ca', 'crt', 'key']) writeFileSync(join(dir, `${name}.pem`), `${name} pem`);
    const tls = temporalTls(
      endpoint({ enabled: true, caFile: join(dir, 'ca.pem'), certFile: join(dir, 'crt.pem'), keyFile: join(dir, 'key.pem'), serverName: 'temporal.internal' }),
    );
    expect(tls?.serverNameOverride).toBe('temporal.internal');
    expect(tls?.serverRootCACertificate?.toString()).toBe('ca pem');
    expect({ crt: tls?.clientCertPair?.crt.toString(), key: tls?.clientCertPair?.key.toString() }).toEqual({ crt: 'crt pem', key: 'key pem' });
  });

  it('sends no client certificate when the key file is missing from the config', () => {
    expect(temporalTls(endpoint({ enabled: true, certFile: '/nonexistent/crt.pem' }))).toEqual({
      serverNameOverride: undefined,
      serverRootCACertificate: undefined,
      clientCertPair: undefined,
    });
  });
});
