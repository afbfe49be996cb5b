import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { connectDocker } from '../../src/runtime/docker/engine.js';
import { errorMessage } from '../../src/errors.js';

export const IMAGES_OVERRIDE = new URL('../images/images.override.yaml', import.meta.url);

/** The locally built images by service (test/images/build-images.sh writes the override file). */
export function localImages(): Record<string, string> {
  const parsed = parse(readFileSync(IMAGES_OVERRIDE, 'utf8')) as { services: Record<string, { image: string }> };
  return Object.fromEntries(Object.entries(parsed.services).map(([service, settings]) => [service, settings.image]));
}

/** Why the docker e2e tests cannot run here, or undefined when they can: the engine must answer and the local images must exist. */
export async function missingDockerImages(services: readonly string[]): Promise<string | undefined> {
  let reason: string | undefined;
  try {
    const { client } = await connectDocker();
    const images = localImages();
    for (const service of services) {
      const image = images[service];
      if (!image) reason = `${service} has no image in test/images/images.override.yaml`;
      else if (!(await client.images.exists(image))) reason = `image ${image} is missing (run test/images/build-images.sh)`;
      if (reason) break;
    }
  } catch (error) {
    reason =
      errorMessage(error).includes('ENOENT') || errorMessage(error).includes('override')
        ? `test/images/images.override.yaml is missing (run test/images/build-images.sh)`
        : errorMessage(error);
  }
  return skipOrFail('the docker e2e tests', reason);
}

/** In CI a missing prerequisite is a failure, never a skip; on a laptop the reason is printed and the tests skip. */
export function skipOrFail(tests: string, reason: string | undefined): string | undefined {
  if (reason && process.env.CI) throw new Error(`CI must not skip ${tests}: ${reason}`);
  if (reason) console.warn(`skipping ${tests}: ${reason}`);
  return reason;
}
