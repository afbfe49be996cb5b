import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import workflowSandbox from './workflow-sandbox.cjs';

// Values of the libraries behind the doors in src/vendor/ come through those doors, which the build bundles
// (scripts/bundle-vendor.js); their types may be imported directly.
const vendored = (packages, groups = []) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: packages.map((name) => ({ name, allowTypeImports: true, message: 'Import its values from the door in src/vendor/ (bundled by the build).' })),
      patterns: groups.map((group) => ({
        group: [group],
        allowTypeImports: true,
        message: 'Import its values from the door in src/vendor/ (bundled by the build).',
      })),
    },
  ],
});
const bundled = ['@aws-sdk/client-s3', 'neo4j-driver', 'pg', 'ioredis', '@qdrant/js-client-rest', 'dockerode'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'coverage/**', 'oclif.manifest.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain Node scripts: the launcher, the build step and the benchmarks.
    files: ['bin/**/*.js', 'bench/**/*.js', 'scripts/**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // CommonJS tool configs: the dependency rules and the workflow-sandbox list they share with this file.
    files: ['*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/vendor/**'],
    rules: vendored([...bundled, '@temporalio/client'], ['@temporalio/common/lib/*']),
  },
  {
    // The phase runner's Temporal client is the worker's own copy: it shares the worker's NativeConnection.
    files: ['src/phases/**/*.ts', 'src/ingestion/**/*.ts'],
    rules: vendored(bundled),
  },
  {
    // testcontainers' build/ folder is outside its semver: one adapter imports from it, and its test names what an upgrade moved.
    files: ['src/**/*.ts'],
    ignores: ['src/runtime/docker/testcontainers-internals.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['testcontainers/build/*'], message: 'Import it from src/runtime/docker/testcontainers-internals.ts.' }] },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins there. dependency-cruiser keeps the
    // list closed: the workflow imports values from no module outside it.
    files: workflowSandbox,
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'os', 'child_process'] }],
    },
  },
);
