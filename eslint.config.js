// Lint: typescript-eslint recommended rules plus the project's boundaries, enforced mechanically.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const noImport = (group, message) => ['error', { patterns: [{ group, message }] }];

const rendererLayers = {
  group: [
    'node:*',
    'electron',
    '**/engine/**',
    '**/electron/**',
    '**/server/**',
    '@engine/*',
    '@server/*',
    'better-sqlite3',
    'sharp',
    'onnxruntime-node',
  ],
  message: 'renderer/ talks to the main process only through the typed API in shared/.',
};
/** renderer/src/api.ts, imported relatively (`../api.ts`, `../../api.ts`); not shared/api.ts. */
const rendererApi = {
  regex: '^(\\.{1,2}/)+api(\\.ts)?$',
  message: 'Only the data hooks in renderer/src/data/ call the API; use them (or a state slice action) instead.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.data/**',
      'out/**',
      'dist/**',
      'release/**',
      'tests/artifacts/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    // Type-aware: a promise nobody awaits is an unhandled rejection waiting to crash a process.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[object.name=/^ipc(Main|Renderer)$/]',
          message:
            'Use the typed IPC wrappers in electron/main/ipc.ts and electron/preload; raw ipcMain/ipcRenderer are not allowed elsewhere.',
        },
      ],
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': noImport(
        ['electron', 'electron/*', '**/electron/**', '**/renderer/**', '**/server/**', '@server/*'],
        'engine/ is a pure Node library: no Electron, UI or server imports.',
      ),
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': noImport(
        [
          'node:*',
          'fs',
          'path',
          'crypto',
          'os',
          'electron',
          '**/engine/**',
          '**/electron/**',
          '**/renderer/**',
          '**/server/**',
          'better-sqlite3',
          'sharp',
          'onnxruntime-node',
        ],
        'shared/ holds types, schemas, the API contract and policy: no Node-only code and no imports from other layers.',
      ),
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', { patterns: [rendererLayers] }],
    },
  },
  {
    // Data hooks are the only callers of the API: screens, forms and state slices go through renderer/src/data/.
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    ignores: ['renderer/src/data/**', 'renderer/src/api.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [rendererLayers, rendererApi] }] },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': noImport(
        ['electron', '**/electron/**', '**/renderer/**'],
        'server/ uses engine/ and shared/, never the desktop app.',
      ),
    },
  },
  {
    // The payment processor stays behind server/payments/processor.ts; the webhook test signs payloads with the SDK as Stripe would,
    // and the money bench's baseline is the SDK alone against the test processor.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['server/payments/processor.ts', 'tests/integration/webhooks.test.ts', 'bench/money.bench.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'stripe', message: 'Only server/payments/processor.ts imports stripe; use its PaymentProcessor interface.' }],
          patterns: [
            { group: ['stripe/*'], message: 'Only server/payments/processor.ts imports stripe; use its PaymentProcessor interface.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/ipc.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
