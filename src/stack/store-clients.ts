/**
 * Health and seeding load every store's client library (Temporal, AWS SDK, Neo4j, …), about a second of CPU.
 * Loading them only when needed keeps `apex --version`, `apex down` and "Docker is not running" fast.
 */
export async function loadStoreClients(): Promise<typeof import('../services/health.js') & typeof import('../services/seeding.js')> {
  const [health, seeding] = await Promise.all([import('../services/health.js'), import('../services/seeding.js')]);
  return { ...health, ...seeding };
}
