import type { ServiceDefinition } from '../service.js';

export const neo4j: ServiceDefinition = {
  name: 'neo4j',
  profile: 'core',
  defaultImage: 'neo4j:5.26-community',
  ports: [
    { name: 'bolt', container: 7687, host: 7687, scheme: 'bolt' },
    { name: 'http', container: 7474, host: 7474, scheme: 'http', ui: true },
  ],
  dependsOn: [],
  memoryMb: 1024,
  healthTimeoutSeconds: 120,
  container: (ctx) => ({
    image: ctx.config.services.neo4j?.image ?? neo4j.defaultImage,
    env: {
      NEO4J_AUTH: `${ctx.credentials.neo4jUser}/${ctx.credentials.neo4jPassword}`,
      NEO4J_server_memory_heap_max__size: '512m',
      NEO4J_server_memory_pagecache_size: '256m',
    },
    volumes: [{ volume: 'neo4j-data', target: '/data' }],
    binds: [],
  }),
};
