import { ApexError, errorMessage } from '../../errors.js';
import type { Progress } from '../../ui/progress.js';
import type { ImageClient } from './engine-client.js';

/** Makes sure the image is local, pulling it with progress when it is not. */
export async function ensureImage(images: ImageClient, image: string, service: string, progress: Progress): Promise<'present' | 'pulled'> {
  if (await images.exists(image)) return 'present';
  progress.step(`Pulling ${image} for ${service}`);
  const layers = new Map<string, { current: number; total: number }>();
  try {
    await images.pull(image, (event) => {
      if (!event.id || !event.progressDetail?.total) return;
      layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
      const current = [...layers.values()].reduce((sum, layer) => sum + layer.current, 0);
      const total = [...layers.values()].reduce((sum, layer) => sum + layer.total, 0);
      progress.transient(`  ${image}: ${mb(current)} / ${mb(total)} MB`);
    });
  } catch (error) {
    throw imageMissing(image, service, errorMessage(error));
  }
  progress.done(`Pulled ${image}`);
  return 'pulled';
}

const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);

export function imageMissing(image: string, service: string, reason: string): ApexError {
  return new ApexError(
    'IMAGE_MISSING',
    `Image ${image} for ${service} is not on this machine and could not be pulled: ${reason.split('\n')[0]}.`,
    `Check registry access (\`docker pull ${image}\`), or build/load an image locally and set ` +
      `\`services.${service}.image: <local image>\` in apex.config.yaml.`,
  );
}
