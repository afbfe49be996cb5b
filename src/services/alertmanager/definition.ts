import { join } from 'node:path';
import type { ServiceDefinition } from '../service.js';

export const alertmanager: ServiceDefinition = {
  name: 'alertmanager',
  profile: 'observability',
  defaultImage: 'prom/alertmanager:v0.28.1',
  ports: [{ name: 'http', container: 9093, host: 9093, scheme: 'http', ui: true }],
  dependsOn: [],
  memoryMb: 50,
  healthTimeoutSeconds: 30,
  container: (ctx) => ({
    image: ctx.config.services.alertmanager?.image ?? alertmanager.defaultImage,
    command: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
    env: {},
    volumes: [{ volume: 'alertmanager-data', target: '/alertmanager' }],
    binds: [{ source: join(ctx.templatesDir, 'alertmanager'), target: '/etc/alertmanager', readOnly: true }],
    // The worker and the alert webhook run on the host.
    extraHosts: ['host.docker.internal:host-gateway'],
  }),
};
