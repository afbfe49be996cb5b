import { join } from 'node:path';
import { defineService, storeEntry } from '../service.js';
import { probeAlertmanager } from './probe.js';

export const alertmanager = defineService('alertmanager', {
  container: (ctx) => ({
    command: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
    env: {},
    volumes: [{ volume: 'alertmanager-data', target: '/alertmanager' }],
    binds: [{ source: join(ctx.templatesDir, 'alertmanager'), target: '/etc/alertmanager', readOnly: true }],
    // The worker and the alert webhook run on the host.
    extraHosts: ['host.docker.internal:host-gateway'],
  }),
  operations: storeEntry([], async () => ({ probe: probeAlertmanager })),
});
