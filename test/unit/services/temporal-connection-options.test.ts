import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedEnv } from '../../../src/config/credentials.js';
import { loadStack } from '../../../src/config/stack-context.js';
import { temporalConnectionOptions } from '../../../src/services/temporal/client.js';
import { thrown } from '../../support/thrown.js';

const KEY = 'tcld-apikey.0123456789abcdef';

/** A project folder with this apex.config.yaml, a .env with these values, and PEM files ca.pem, crt.pem and key.pem. */
function project(configYaml: string, env: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-temporal-options-'));
  writeFileSync(join(dir, 'apex.config.yaml'), configYaml);
  const dotenv = { ...generatedEnv(), ...env };
  writeFileSync(
    join(dir, '.env'),
    Object.entries(dotenv)
      .map(([key, value]) => `${key}="${value}"\n`)
      .join(''),
  );
  for (const name of ['ca', 'crt', 'key']) writeFileSync(join(dir, `${name}.pem`), `${name} pem`);
  return dir;
}

const optionsOf = (configYaml: string, env?: Record<string, string>) => temporalConnectionOptions(loadStack({ cwd: project(configYaml, env) }).stack);

const EXTERNAL = 'runtime: external\nservices:\n  temporal:\n    host: ns.acct.tmprl.cloud\n';

describe('temporalConnectionOptions', () => {
  it('is plaintext without services.temporal.tls or an API key, or with enabled: false', () => {
    expect(optionsOf('')).toEqual({ address: '127.0.0.1:7233', tls: undefined, apiKey: undefined });
    expect(optionsOf(`${EXTERNAL}    tls: { enabled: false, caFile: /nonexistent/ca.pem }\n`).tls).toBeUndefined();
  });

  it('sends TEMPORAL_API_KEY over TLS on the external runtime, with the system CAs when no tls is configured', () => {
    expect(optionsOf(EXTERNAL, { TEMPORAL_API_KEY: KEY })).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: {}, apiKey: KEY });
  });

  it('never sends the key to the dev server apex starts (docker runtime)', () => {
    expect(optionsOf('', { TEMPORAL_API_KEY: KEY })).toEqual({ address: '127.0.0.1:7233', tls: undefined, apiKey: undefined });
  });

  it('reads the CA and the client certificate pair, relative to the project folder', () => {
    const options = optionsOf(`${EXTERNAL}    tls: { caFile: ca.pem, certFile: crt.pem, keyFile: key.pem, serverName: temporal.internal }\n`, {
      TEMPORAL_API_KEY: KEY,
    });
    expect(options.apiKey).toBe(KEY);
    expect(options.tls?.serverNameOverride).toBe('temporal.internal');
    expect(options.tls?.serverRootCACertificate?.toString()).toBe('ca pem');
    expect({ crt: options.tls?.clientCertPair?.crt.toString(), key: options.tls?.clientCertPair?.key.toString() }).toEqual({ crt: 'crt pem', key: 'key pem' });
  });

  it('refuses an unreadable PEM file with its config key and path (exit 2)', () => {
    const error = thrown(() => optionsOf(`${EXTERNAL}    tls: { caFile: missing/ca.pem }\n`));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
    expect(error.message).toMatch(/^services\.temporal\.tls\.caFile names \/\S+\/missing\/ca\.pem, which cannot be read \(ENOENT\)\.$/);
  });
});

describe('Temporal settings no connection can be made from (exit 2, checked when the stack loads)', () => {
  const load = (configYaml: string, env?: Record<string, string>) => thrown(() => loadStack({ cwd: project(configYaml, env) }));

  it('a client certificate without its key', () => {
    const error = load(`${EXTERNAL}    tls: { certFile: crt.pem }\n`);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
    expect(error.message).toBe('services.temporal.tls has certFile but no keyFile: a client certificate (mTLS) needs both.');
  });

  it('an API key with a space or a line break, without quoting the key', () => {
    for (const bad of [`${KEY} `, `${KEY}\\nmore`, `tcld-apikey.ünïcode`]) {
      const error = load(EXTERNAL, { TEMPORAL_API_KEY: bad });
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
      expect(error.message).toMatch(/^TEMPORAL_API_KEY \(from \/\S+\/\.env or the environment\) holds a space/);
      expect(JSON.stringify(error)).not.toContain('tcld-apikey');
    }
  });

  it('an API key with TLS turned off', () => {
    const error = load(`${EXTERNAL}    tls: { enabled: false }\n`, { TEMPORAL_API_KEY: KEY });
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
    expect(error.fix).toBe('Remove `enabled: false` under services.temporal.tls in apex.config.yaml, or unset TEMPORAL_API_KEY.');
  });
});
