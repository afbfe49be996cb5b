import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { generatedEnv, readCredentials } from '../../../../src/config/credentials.js';
import { configSchema } from '../../../../src/config/schema.js';
import { planContainer } from '../../../../src/runtime/docker/container-plan.js';
import { DockerStack } from '../../../../src/runtime/docker/docker-stack.js';
import { LABELS } from '../../../../src/runtime/labels.js';
import { serviceByName } from '../../../../src/services/catalog.js';

const plan = planContainer(
  { config: configSchema.parse({ project: 'demo' }), credentials: readCredentials(generatedEnv(), '.env'), projectDir: '/p', templatesDir: '/t' },
  serviceByName('redis'),
);
const existing = { Id: 'c1', State: 'created', Labels: { [LABELS.configHash]: plan.configHash } } as unknown as Docker.ContainerInfo;
const engineAnswering = (statusCode: number, message: string) =>
  ({ getContainer: () => ({ start: () => Promise.reject(Object.assign(new Error(message), { statusCode })) }) }) as unknown as Docker;

describe('DockerStack.realise', () => {
  it('takes "already started" (304) for success: an up interrupted by Ctrl-C left the engine starting that container', async () => {
    const stack = new DockerStack(engineAnswering(304, '(HTTP code 304) container already started'), 'demo');
    await expect(stack.realise(plan, existing)).resolves.toBe('started');
  });

  it('still fails on any other answer', async () => {
    const stack = new DockerStack(engineAnswering(500, '(HTTP code 500) server error - boom'), 'demo');
    await expect(stack.realise(plan, existing)).rejects.toThrow('boom');
  });
});
