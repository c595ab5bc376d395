// @ts-check
/**
 * Lint: typescript-eslint with type information for the promise rules (a floating promise in a
 * worker or a CLI is a lost error), and the project's dependency rules as import restrictions:
 * - workflows/** stay deterministic: no Node built-ins, no AWS SDK, pino, zod, yaml, database
 *   drivers, no value imports of activities, the sim, the runbook loader or the process-level lib;
 * - cli/** talks to Temporal only: no AWS SDK, no sim, no AWS adapters;
 * - layering: activities/** import neither workflows nor the sim; runbooks/** import no activities;
 *   contracts/** import only types from activities, workflows, the sim, the CLI and the composition
 *   root (test/layering.test.ts checks the activities rule and the workflow exports again);
 * - every exported symbol has a doc comment.
 */
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const jsdoc = require('eslint-plugin-jsdoc');

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

const WORKFLOW_BANNED_PACKAGES = [
  'pino',
  'zod',
  'yaml',
  'pg',
  'mysql2',
  'commander',
  '@temporalio/worker',
  '@temporalio/client',
  '@temporalio/activity',
];

/**
 * Import specifiers that reach the top-level folders or files `names` from a file up to three folders
 * deep (`../sim`, `../../sim/rds`, …): the patterns of a layering rule.
 */
const upward = (names) =>
  names.flatMap((p) => ['../', '../../', '../../../'].flatMap((up) => [`${up}${p}`, `${up}${p}/*`, `${up}${p}/**`]));

/** Top-level paths whose values must not enter workflow code (types are fine). */
const WORKFLOW_TYPE_ONLY = upward([
  'activities',
  'sim',
  'runbooks',
  'lib/config',
  'lib/logger',
  'lib/clock',
  'lib/temporal-logger',
  'lib/composition-root',
  'cli',
  'worker',
]);

module.exports = tseslint.config(
  { ignores: ['.tools/**', '.temporal/**', '.data/**', 'node_modules/**', 'dist/**', 'coverage/**', 'reports/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // Every exported symbol says what it is or does, in a doc comment (/** … */).
    files: ['**/*.ts'],
    plugins: { jsdoc },
    rules: {
      'jsdoc/require-jsdoc': [
        'error',
        {
          publicOnly: true,
          require: { FunctionDeclaration: true, ClassDeclaration: true, ArrowFunctionExpression: true, FunctionExpression: true },
          contexts: [
            'TSInterfaceDeclaration',
            'TSTypeAliasDeclaration',
            'TSEnumDeclaration',
            'Program > VariableDeclaration',
            'ExportNamedDeclaration > VariableDeclaration',
          ],
          checkConstructors: false,
          checkGetters: false,
          checkSetters: false,
          enableFixer: false,
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...NODE_BUILTINS.map((name) => ({ name, message: 'workflows are deterministic: no Node built-ins (do it in an activity)' })),
            ...WORKFLOW_BANNED_PACKAGES.map((name) => ({
              name,
              message: 'not in workflow code: do it in an activity, or import type only',
              allowTypeImports: true,
            })),
          ],
          patterns: [
            { group: ['node:*'], message: 'workflows are deterministic: no Node built-ins (do it in an activity)' },
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'workflows never call AWS: use an activity' },
            {
              group: WORKFLOW_TYPE_ONLY,
              allowTypeImports: true,
              message: 'workflows import only types from activities, sim, runbooks and process-level lib (use `import type`)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'the CLI talks to Temporal only: start a workflow instead of calling AWS' },
            {
              group: ['../sim', '../sim/*', '../../sim', '../../sim/*', '../activities/aws/*', '../../activities/aws/*'],
              allowTypeImports: true,
              message: 'the CLI talks to Temporal only: no sim or AWS adapters (types are fine)',
            },
          ],
        },
      ],
    },
  },
  {
    // Activities sit below workflows and know nothing of the simulated AWS (the composition root picks it).
    files: ['activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: upward(['workflows']), message: 'activities never import workflows: shared messages and types live in contracts/' },
            {
              group: upward(['sim']),
              message: 'activities never import the sim: it reaches them as ActivityDeps from lib/composition-root',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['runbooks/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: upward(['activities']), message: 'runbooks never import activities: move the shared type to contracts/ or runbooks/' },
          ],
        },
      ],
    },
  },
  {
    // Contracts are the bottom layer that workflows, activities and the CLI all import.
    files: ['contracts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: upward(['activities', 'workflows', 'sim', 'cli', 'lib/composition-root']),
              allowTypeImports: true,
              message: 'contracts import no values from activities, workflows, the sim, the CLI or the composition root (types are fine)',
            },
          ],
        },
      ],
    },
  },
);
