import type Docker from 'dockerode';
import { ApexError, errorMessage } from '../../errors.js';
import type { Progress } from '../../ui/progress.js';

interface PullEvent {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
}

/** Makes sure the image is local, pulling it with progress when it is not. */
export async function ensureImage(docker: Docker, image: string, service: string, progress: Progress): Promise<'present' | 'pulled'> {
  if (await imageExists(docker, image)) return 'present';
  progress.step(`Pulling ${image} for ${service}`);
  try {
    const stream = await docker.pull(image);
    const layers = new Map<string, { current: number; total: number }>();
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: PullEvent[]) => {
          const failed = events?.find((event) => event.error);
          if (error || failed) reject(error ?? new Error(failed?.error));
          else resolve();
        },
        (event: PullEvent) => {
          if (!event.id || !event.progressDetail?.total) return;
          layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
          const current = [...layers.values()].reduce((sum, layer) => sum + layer.current, 0);
          const total = [...layers.values()].reduce((sum, layer) => sum + layer.total, 0);
          progress.transient(`  ${image}: ${mb(current)} / ${mb(total)} MB`);
        },
      );
    });
  } catch (error) {
    throw imageMissing(image, service, errorMessage(error));
  }
  progress.done(`Pulled ${image}`);
  return 'pulled';
}

export async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
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
