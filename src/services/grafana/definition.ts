import { join } from 'node:path';
import { defineService, storeEntry } from '../service.js';
import { probeGrafana } from './probe.js';

export const grafana = defineService('grafana', {
  container: (ctx) => ({
    env: {
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SECURITY_ADMIN_PASSWORD: ctx.credentials.grafanaPassword,
      GF_USERS_ALLOW_SIGN_UP: 'false',
    },
    volumes: [{ volume: 'grafana-data', target: '/var/lib/grafana' }],
    binds: [{ source: join(ctx.templatesDir, 'grafana'), target: '/etc/grafana/provisioning', readOnly: true }],
  }),
  operations: storeEntry([], async () => ({ probe: probeGrafana })),
});
