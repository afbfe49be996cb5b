import { join } from 'node:path';
import type { ServiceDefinition } from '../service.js';

export const grafana: ServiceDefinition = {
  name: 'grafana',
  profile: 'observability',
  defaultImage: 'grafana/grafana:12.1.1',
  ports: [{ name: 'http', container: 3000, host: 3000, scheme: 'http', ui: true }],
  dependsOn: ['prometheus'],
  memoryMb: 200,
  healthTimeoutSeconds: 60,
  container: (ctx) => ({
    image: ctx.config.services.grafana?.image ?? grafana.defaultImage,
    env: {
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SECURITY_ADMIN_PASSWORD: ctx.credentials.grafanaPassword,
      GF_USERS_ALLOW_SIGN_UP: 'false',
    },
    volumes: [{ volume: 'grafana-data', target: '/var/lib/grafana' }],
    binds: [{ source: join(ctx.templatesDir, 'grafana'), target: '/etc/grafana/provisioning', readOnly: true }],
  }),
};
