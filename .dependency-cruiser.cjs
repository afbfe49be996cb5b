/**
 * The layer order of src/ (README, "Architecture"), checked by `npm run lint`. Top to bottom; a folder imports only
 * from folders below it. `ui/` and `reports/` are leaves beside the layers: they render results, import values only
 * from the bottom layer (reports may use ui), and may import types from anywhere; the layers from doctor/ down
 * never import their values (pass a Progress or a callback in instead).
 */
const LAYERS = [
  ['commands'],
  ['cli'],
  ['phases'],
  ['stack'],
  ['doctor'],
  ['observability', 'ingestion'],
  ['runtime'],
  ['services'],
  ['results', 'contracts', 'config', 'errors.ts', 'vendor'],
];
const LEAVES = ['ui', 'reports'];
/** From this layer down, no module imports values of the leaves. */
const FIRST_LAYER_BELOW_LEAVES = LAYERS.findIndex((layer) => layer.includes('doctor'));

const WORKFLOW_SANDBOX = require('./workflow-sandbox.cjs');

const folders = (names) => `^src/(${names.map((name) => name.replace('.', '\\.')).join('|')})($|/)`;
const exact = (paths) => `^(${paths.map((path) => path.replace(/\./g, '\\.')).join('|')})$`;
const order = LAYERS.map((layer) => layer.join(', ')).join(' → ');

const layerRules = LAYERS.flatMap((layer, index) => {
  const above = LAYERS.slice(0, index).flat();
  const rules = [];
  if (above.length > 0) {
    rules.push({
      name: `layer-${layer.join('+').replace('.ts', '')}-imports-upward`,
      comment: `${layer.join(', ')} may import only from the layers below it (${order}).`,
      severity: 'error',
      from: { path: folders(layer) },
      to: { path: folders(above) },
    });
  }
  if (index >= FIRST_LAYER_BELOW_LEAVES) {
    rules.push({
      name: `layer-${layer.join('+').replace('.ts', '')}-imports-leaf-values`,
      comment: `${layer.join(', ')} must not import values from ui/ or reports/: take a Progress or a callback instead (types are fine).`,
      severity: 'error',
      from: { path: folders(layer) },
      to: { path: folders(LEAVES), dependencyTypesNot: ['type-only'] },
    });
  }
  return rules;
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'leaf-imports-layer-values',
      comment: 'ui/ and reports/ render results: values only from the bottom layer (and reports from ui); types from anywhere.',
      severity: 'error',
      from: { path: folders(LEAVES) },
      to: { path: folders(LAYERS.slice(0, -1).flat()), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ui-imports-reports',
      comment: 'reports/ may use ui/, not the other way round (types excepted).',
      severity: 'error',
      from: { path: folders(['ui']) },
      to: { path: folders(['reports']), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-in-a-layer',
      comment: 'Every folder of src/ has a place in the order: add a new one to LAYERS (or LEAVES) in .dependency-cruiser.cjs and to the README.',
      severity: 'error',
      from: { path: '^src/', pathNot: folders([...LAYERS.flat(), ...LEAVES]) },
      to: {},
    },
    {
      name: 'command-imports-command',
      comment: 'Commands are thin entry points: one command never imports another; share through cli/ or a use case.',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/commands/' },
    },
    {
      name: 'workflow-sandbox-closed',
      comment:
        "Workflow code runs in Temporal's sandbox: it imports values only from the modules in workflow-sandbox.cjs, " +
        'which eslint keeps free of Node built-ins. Add a new one there, or import types only.',
      severity: 'error',
      from: { path: exact(WORKFLOW_SANDBOX) },
      to: { pathNot: [exact(WORKFLOW_SANDBOX), '^node_modules/@temporalio/(workflow|common)/'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    // Packages are checked as targets (the workflow sandbox), never followed.
    includeOnly: ['^src/', '^node_modules/'],
    doNotFollow: { path: '^node_modules/' },
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
