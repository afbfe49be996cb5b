/**
 * The modules that run in Temporal's deterministic workflow sandbox: the workflow and every module it imports values
 * from. eslint bans Node built-ins in them; dependency-cruiser fails when the workflow imports values from any other.
 */
module.exports = ['src/ingestion/workflows.ts', 'src/ingestion/saga.ts', 'src/results/ingestion-contract.ts'];
