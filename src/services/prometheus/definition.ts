import { join } from 'node:path';
import { defineService, storeEntry } from '../service.js';
import { probePrometheus } from './probe.js';

export const prometheus = defineService('prometheus', {
  container: (ctx) => ({
    command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--web.enable-lifecycle'],
    env: {},
    volumes: [{ volume: 'prometheus-data', target: '/prometheus' }],
    binds: [{ source: join(ctx.templatesDir, 'prometheus'), target: '/etc/prometheus', readOnly: true }],
    // The worker and the alert webhook run on the host.
    extraHosts: ['host.docker.internal:host-gateway'],
  }),
  operations: storeEntry([], async () => ({ probe: probePrometheus })),
});
