import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { ApexError } from '../../../src/errors.js';
import { serviceByName } from '../../../src/services/catalog.js';
import { diagnoseFailure, errorChain, hasErrorCode } from '../../../src/services/failure.js';
import { storeContext } from '../../../src/services/operations.js';
import { diagnosePostgres } from '../../../src/services/postgres/probe.js';
import { globPrefix } from '../../../src/services/redis/reset.js';
import type { StackContext } from '../../../src/services/service.js';

const ctxFor = (name: 'postgres' | 'neo4j' | 'redis', runtime: 'docker' | 'external') =>
  storeContext(
    { config: configSchema.parse({ runtime }), credentials: {}, projectDir: '/srv/app', templatesDir: '/tmp' } as unknown as StackContext,
    serviceByName(name),
    new AbortController().signal,
  );

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('diagnoseFailure', () => {
  it('tells a docker user to start the service', async () => {
    const diagnosis = diagnoseFailure(refused, ctxFor('postgres', 'docker'), await serviceByName('postgres').operations.load());
    expect(diagnosis).toEqual({
      error: 'postgres: connection refused on 127.0.0.1:5432',
      fix: 'postgres is not running: `apex up --only postgres`.',
    });
  });

  it('tells an external user where apex looked, never to start it', async () => {
    const diagnosis = diagnoseFailure(refused, ctxFor('postgres', 'external'), await serviceByName('postgres').operations.load());
    expect(diagnosis.fix).toContain('127.0.0.1:5432');
    expect(diagnosis.fix).toContain('services.postgres.host/ports');
    expect(diagnosis.fix).not.toContain('apex up');
  });

  it('finds a refused connection inside an AggregateError (localhost resolving to ::1 and 127.0.0.1)', () => {
    const error = new AggregateError([new Error('x'), refused], '');
    expect(hasErrorCode(error, 'ECONNREFUSED')).toBe(true);
    expect(errorChain(error)).toContain(refused);
  });

  it('names the .env key of a rejected password, with the fix for each runtime', () => {
    const rejected = Object.assign(new Error('password authentication failed for user "apex"'), { code: '28P01' });
    const docker = diagnosePostgres(rejected, ctxFor('postgres', 'docker'));
    expect(docker?.error).toBe('postgres rejected the credentials: password authentication failed for user "apex"');
    expect(docker?.fix).toContain("POSTGRES_PASSWORD in /srv/app/.env differs from the value postgres's data volume was created with");
    expect(docker?.fix).toContain('`apex down --volumes --yes` then `apex up` (deletes the data of every service)');
    expect(docker?.fix).toContain('apex reset --service postgres --hard --yes');
    expect(docker?.rejectedKey).toBe('POSTGRES_PASSWORD');
    expect(diagnosePostgres(rejected, ctxFor('postgres', 'external'))?.fix).toContain('Set POSTGRES_PASSWORD in /srv/app/.env');
  });

  it('marks a refused password as rejected for every store that has one, and nothing a starting server says', async () => {
    const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
    const operations = {
      postgres: await serviceByName('postgres').operations.load(),
      neo4j: await serviceByName('neo4j').operations.load(),
      redis: await serviceByName('redis').operations.load(),
    };
    const rejectedKey = (name: keyof typeof operations, error: unknown) => diagnoseFailure(error, ctxFor(name, 'docker'), operations[name]).rejectedKey;
    expect(rejectedKey('postgres', coded('password authentication failed for user "apex"', '28P01'))).toBe('POSTGRES_PASSWORD');
    expect(rejectedKey('neo4j', coded('The client is unauthorized due to authentication failure.', 'Neo.ClientError.Security.Unauthorized'))).toBe(
      'NEO4J_PASSWORD',
    );
    expect(
      rejectedKey(
        'neo4j',
        coded('The client has provided incorrect authentication details too many times in a row.', 'Neo.ClientError.Security.AuthenticationRateLimit'),
      ),
    ).toBe('NEO4J_PASSWORD');
    expect(rejectedKey('redis', new Error('WRONGPASS invalid username-password pair or user is disabled.'))).toBe('REDIS_PASSWORD');
    expect(rejectedKey('redis', new Error('NOAUTH Authentication required.'))).toBe('REDIS_PASSWORD');

    expect(rejectedKey('postgres', coded('the database system is starting up', '57P03'))).toBeUndefined();
    expect(rejectedKey('postgres', refused)).toBeUndefined();
    expect(rejectedKey('postgres', coded('read ECONNRESET', 'ECONNRESET'))).toBeUndefined();
    expect(rejectedKey('neo4j', coded('Database is unavailable', 'Neo.TransientError.General.DatabaseUnavailable'))).toBeUndefined();
    expect(rejectedKey('neo4j', coded('Connection was closed by server', 'ServiceUnavailable'))).toBeUndefined();
    expect(rejectedKey('redis', new Error('LOADING Redis is loading the dataset in memory'))).toBeUndefined();
  });

  it("passes an ApexError's own message, details and fix through", async () => {
    const error = new ApexError('MIGRATION_FAILED', 'it failed', 'fix it', 1, ['statement: X']);
    expect(diagnoseFailure(error, ctxFor('redis', 'docker'), await serviceByName('redis').operations.load())).toEqual({
      error: 'it failed\nstatement: X',
      fix: 'fix it',
    });
  });

  it('falls back to the raw message and a pointer to the logs', async () => {
    const diagnosis = diagnoseFailure(new Error('boom'), ctxFor('redis', 'docker'), await serviceByName('redis').operations.load());
    expect(diagnosis).toEqual({ error: 'redis: boom', fix: expect.stringContaining('apex logs redis') });
  });
});

describe('globPrefix', () => {
  it('matches the prefix literally', () => {
    expect(globPrefix('apex:')).toBe('apex:*');
    expect(globPrefix('a*b?[c]')).toBe('a\\*b\\?\\[c\\]*');
  });
});

describe('httpStatusOf', () => {
  it("reads a status property, or the status in the Qdrant client's message", async () => {
    const { httpStatusOf } = await import('../../../src/services/http-probe.js');
    expect(httpStatusOf(Object.assign(new Error('x'), { status: 401 }))).toBe(401);
    expect(httpStatusOf(new Error('Unexpected Response: 409 (Conflict)\nRaw response content:\n{}'))).toBe(409);
    expect(httpStatusOf(new Error('fetch failed'))).toBeUndefined();
  });
});
