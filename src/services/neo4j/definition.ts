import { defineService, storeEntry } from '../service.js';

export const neo4j = defineService('neo4j', {
  container: (ctx) => ({
    env: {
      NEO4J_AUTH: `${ctx.credentials.neo4jUser}/${ctx.credentials.neo4jPassword}`,
      NEO4J_server_memory_heap_max__size: '512m',
      NEO4J_server_memory_pagecache_size: '256m',
    },
    volumes: [{ volume: 'neo4j-data', target: '/data' }],
    binds: [],
  }),
  operations: storeEntry(['seed', 'clear'], async () => (await import('./operations.js')).neo4jOperations),
});
