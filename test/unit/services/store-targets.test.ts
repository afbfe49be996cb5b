import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { ApexError } from '../../../src/errors.js';
import { serviceByName } from '../../../src/services/catalog.js';
import { resetStack } from '../../../src/stack/reset.js';
import type { StackContext } from '../../../src/services/service.js';
import { storeTargets } from '../../../src/services/store-targets.js';

const config = (input: object = {}) => configSchema.parse(input);
const names = (services: { name: string }[]) => services.map((service) => service.name);

describe('storeTargets', () => {
  it('defaults to every store of the stack, leaving out services that hold no data', () => {
    expect(names(storeTargets(config({ profiles: ['observability'] }), undefined, 'seed'))).toEqual(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);
    expect(names(storeTargets(config(), [], 'clear'))).toEqual(['temporal', 'postgres', 'neo4j', 'qdrant', 'redis', 's3']);
  });

  it('takes the named stores as given, once each, without adding dependencies', () => {
    expect(names(storeTargets(config(), ['redis', 'postgres', 'redis'], 'clear'))).toEqual(['redis', 'postgres']);
  });

  it('refuses a named service that holds no data, naming those that do', () => {
    const error = (() => {
      try {
        storeTargets(config(), ['postgres', 'grafana'], 'seed');
      } catch (caught) {
        return caught as ApexError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(ApexError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('grafana has nothing to seed.');
    expect(error.fix).toBe('Choose among: temporal, postgres, neo4j, qdrant, redis, s3.');
  });
});

describe('resetStack guards (nothing is contacted)', () => {
  const stack = { config: config(), credentials: {}, projectDir: '/tmp', templatesDir: '/tmp' } as unknown as StackContext;
  const stores = ['postgres', 'redis'].map(serviceByName);

  it('without --yes and without a terminal: a usage error with the flag as the fix', async () => {
    const error = (await resetStack(stack, stores).catch((caught: unknown) => caught)) as ApexError;
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('Delete all data in postgres (127.0.0.1:5432), redis (127.0.0.1:6379)?');
    expect(error.fix).toContain('--yes');
  });

  it('a "no" at the prompt aborts; --hard says so in the question', async () => {
    const questions: string[] = [];
    const error = (await resetStack(stack, stores, {
      hard: true,
      confirm: async (question) => (questions.push(question), false),
    }).catch((caught: unknown) => caught)) as ApexError;
    expect(error.code).toBe('ABORTED');
    expect(questions).toEqual(['Delete all data in postgres (127.0.0.1:5432), redis (127.0.0.1:6379), recreating containers and volumes?']);
  });

  it('a service with no data alone is a usage error', async () => {
    const error = (await resetStack(stack, [serviceByName('prometheus')], { yes: true }).catch((caught: unknown) => caught)) as ApexError;
    expect(error.message).toBe('prometheus has no data to reset.');
  });
});
