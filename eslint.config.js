// @ts-check
/**
 * Lint: typescript-eslint with type information for the promise rules (a floating promise in a
 * worker or a CLI is a lost error), and the project's dependency rules as import restrictions:
 * - workflows/** stay deterministic: no Node built-ins, no AWS SDK, pino, zod, yaml, database
 *   drivers, no value imports of activities, the sim, the runbook loader or the process-level lib;
 * - cli/** talks to Temporal only: no AWS SDK, no sim, no AWS adapters.
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

/** Relative paths (from workflows/ and its subfolders) whose values must not enter workflow code. */
const WORKFLOW_TYPE_ONLY = [
  'activities',
  'sim',
  'runbooks',
  'lib/config',
  'lib/logger',
  'lib/clock',
  'lib/temporal-logger',
  'cli',
  'worker',
].flatMap((p) => [`../${p}`, `../${p}/*`, `../../${p}`, `../../${p}/*`]);

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
);
