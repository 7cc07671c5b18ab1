// Type-aware lint (ARCHITECTURE rule 12) and the dependency rules of docs/architecture.md, folder by folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which folders of src/ each folder may import (besides itself). Bottom up: config, common; the IDS protocol;
 * identity, trust, persistence and runtime implementing its seams; the features; the TRUE wing on top. The
 * composition root (src/*.ts) may import everything. test/architecture.spec.ts checks there is no cycle at all.
 */
const LAYERS = {
  config: [],
  demo: ['common', 'config'],
  common: ['config'],
  ids: ['common', 'config'],
  identity: ['ids', 'common', 'config'],
  database: ['common', 'config'],
  runtime: ['common', 'config'],
  auth: ['common', 'config'],
  daps: ['ids', 'identity', 'database', 'common', 'config'],
  audit: ['ids', 'database', 'runtime', 'common', 'config'],
  'clearing-house': ['ids', 'identity', 'daps', 'database', 'runtime', 'common', 'config'],
  usage: ['clearing-house', 'ids', 'identity', 'daps', 'database', 'common', 'config'],
  resources: ['usage', 'ids', 'identity', 'database', 'common', 'config'],
  contracts: ['resources', 'usage', 'clearing-house', 'ids', 'database', 'common', 'config'],
  consumer: ['contracts', 'usage', 'clearing-house', 'ids', 'identity', 'database', 'runtime', 'common', 'config'],
  broker: ['resources', 'ids', 'runtime', 'common', 'config'],
  'data-apps': ['resources', 'usage', 'ids', 'identity', 'database', 'runtime', 'common', 'config'],
  delivery: [
    'data-apps',
    'consumer',
    'contracts',
    'resources',
    'usage',
    'clearing-house',
    'ids',
    'identity',
    'daps',
    'database',
    'runtime',
    'common',
    'config',
  ],
  operations: [
    'data-apps',
    'delivery',
    'consumer',
    'contracts',
    'broker',
    'audit',
    'resources',
    'usage',
    'clearing-house',
    'ids',
    'daps',
    'database',
    'runtime',
    'common',
    'config',
  ],
  'true-compat': [
    'broker',
    'consumer',
    'contracts',
    'resources',
    'usage',
    'auth',
    'ids',
    'identity',
    'database',
    'runtime',
    'common',
    'config',
  ],
};
const FOLDERS = Object.keys(LAYERS);

/** Pure cores (mappers, parsers, shape checks, evaluators, analytics, the policy engine) do no I/O. */
const PURE = [
  '**/*.mapper.ts',
  '**/*.parser.ts',
  '**/*.shape.ts',
  '**/*.normalizer.ts',
  '**/*.evaluator.ts',
  '**/*.analytics.ts',
  'usage/policy/*.ts',
  'usage/patterns/*.pattern.ts',
  'data-apps/store/*.codec.ts',
  'data-apps/*.checker.ts',
];
const IO = ['node:fs', 'node:fs/promises', 'node:http', 'node:https', 'typeorm'].map((name) => ({
  name,
  message: 'pure code: I/O goes behind an injected adapter',
}));

function patternsFor(folder) {
  return [
    ...FOLDERS.filter((other) => other !== folder && !LAYERS[folder].includes(other)).map((other) => ({
      group: [`**/${other}/**`, `../${other}/*`, `../../${other}/*`],
      message: `${folder}/ may import only ${LAYERS[folder].join(', ') || 'nothing else'} (docs/architecture.md, "Layers")`,
    })),
    { group: ['**/app.*', '**/main.js'], message: 'only the composition root imports the composition root' },
    ...(folder === 'runtime'
      ? []
      : [
          {
            group: ['piscina', 'node:worker_threads', 'worker_threads'],
            message: 'worker threads only through runtime/worker.pool.ts (WorkerPool)',
          },
        ]),
    ...(folder === 'ids' ? [{ group: ['typeorm', '@nestjs/typeorm'], message: 'ids/ has no persistence' }] : []),
  ];
}

// One entry for a folder's files, and one for its pure files (the same patterns plus no I/O): ESLint keeps only
// the last setting of a rule for a file, so the two are written out together.
const layerRules = FOLDERS.flatMap((folder) => [
  { files: [`src/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns: patternsFor(folder) }] } },
  {
    files: PURE.map((glob) => (glob.startsWith('**') ? `src/${folder}/${glob}` : `src/${glob}`)).filter((glob) =>
      glob.startsWith(`src/${folder}/`),
    ),
    rules: { 'no-restricted-imports': ['error', { patterns: patternsFor(folder), paths: IO }] },
  },
]);

/**
 * A data app (a folder of data-apps/ other than the platform's store/, dto/, entities/) sees the connector only
 * through the data-app contract: besides common/ and config/ it imports the contract, the config checker and the
 * store's frame codec, never the platform's services, and no other layer.
 */
const APP_FILES = ['src/data-apps/*/**/*.ts'];
const APP_IGNORES = ['src/data-apps/store/**', 'src/data-apps/dto/**', 'src/data-apps/entities/**'];
const PLATFORM = [
  'data-app.supervisor',
  'app-isolation',
  'data-app.registry',
  'data-app.repository',
  'data-app.source',
  'output.store',
  'output.publisher',
  'run.context',
  'data-apps.module',
  'data-apps.controller',
  'data-apps.settings',
  'edge.store',
  'edge-store.jobs',
];
const appPatterns = [
  ...patternsFor('data-apps'),
  ...['resources', 'usage', 'ids', 'identity', 'database', 'runtime'].map((other) => ({
    group: [`**/${other}/**`, `../../${other}/*`, `../../../${other}/*`],
    message: 'a data app imports only the data-app contract (docs/architecture.md, "Data apps")',
  })),
  { group: PLATFORM.map((name) => `**/${name}.js`), message: "a data app imports only the data-app contract, not the platform's services" },
];
const appRules = [
  { files: APP_FILES, ignores: APP_IGNORES, rules: { 'no-restricted-imports': ['error', { patterns: appPatterns }] } },
  {
    files: PURE.filter((glob) => glob.startsWith('**')).map((glob) => `src/data-apps/*/${glob}`),
    rules: { 'no-restricted-imports': ['error', { patterns: appPatterns, paths: IO }] },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-test/**', 'node_modules/**', 'data/**', 'data-*/**', 'certs/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line', 'consistent'],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='forwardRef']", message: 'a cycle means the seam is wrong' },
      ],
    },
  },
  ...layerRules,
  ...appRules,
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' }] },
      ],
    },
  },
  // The live page's script runs in the browser: plain JavaScript, browser globals, uPlot from its own script tag.
  {
    files: ['resources/live/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'script',
      globals: { document: 'readonly', window: 'readonly', EventSource: 'readonly', uPlot: 'readonly', console: 'readonly' },
    },
  },
  // The install-time script runs before anything is compiled: plain JavaScript, without type information.
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly', console: 'readonly' } },
  },
);
