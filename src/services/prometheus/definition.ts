import { join } from 'node:path';
import type { ServiceDefinition } from '../service.js';

export const prometheus: ServiceDefinition = {
  name: 'prometheus',
  profile: 'observability',
  defaultImage: 'prom/prometheus:v3.5.0',
  ports: [{ name: 'http', container: 9090, host: 9090, scheme: 'http', ui: true }],
  dependsOn: ['temporal', 'alertmanager'],
  memoryMb: 300,
  healthTimeoutSeconds: 60,
  container: (ctx) => ({
    image: ctx.config.services.prometheus?.image ?? prometheus.defaultImage,
    command: [
      '--config.file=/etc/prometheus/prometheus.yml',
      '--storage.tsdb.path=/prometheus',
      '--web.enable-lifecycle',
    ],
    env: {},
    volumes: [{ volume: 'prometheus-data', target: '/prometheus' }],
    binds: [{ source: join(ctx.templatesDir, 'prometheus'), target: '/etc/prometheus', readOnly: true }],
    // The worker and the alert webhook run on the host.
    extraHosts: ['host.docker.internal:host-gateway'],
  }),
};
