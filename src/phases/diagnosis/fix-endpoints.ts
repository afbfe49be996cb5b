import type { StackContext } from '../../config/stack-context.js';
import { serviceByName } from '../../services/catalog.js';
import { serviceEndpoints } from '../../stack/endpoints.js';
import type { FixEndpoints } from './knowledge-base.js';

/** The addresses a diagnosis's fix names, on the ports this stack is configured with (as `apex up` prints them). */
export function fixEndpoints(stack: StackContext): FixEndpoints {
  const [temporal, s3] = serviceEndpoints(stack, [serviceByName('temporal'), serviceByName('s3')], false);
  const url = (urls: { name: string; url: string }[], name: string): string => urls.find((entry) => entry.name === name)?.url ?? `(no ${name} port)`;
  return { temporalUi: url(temporal.urls, 'ui'), temporalMetrics: url(temporal.urls, 'metrics'), s3: url(s3.urls, 'http') };
}
