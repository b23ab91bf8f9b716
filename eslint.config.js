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

const IPC_SELECTOR = {
  selector: 'MemberExpression[object.name=/^ipc(Main|Renderer)$/]',
  message: 'Use the typed IPC wrappers in electron/main/ipc.ts and electron/preload; raw ipcMain/ipcRenderer are not allowed elsewhere.',
};

/**
 * The studio reaches the marketplace only through the client generated from the contract
 * (electron/main/market/client.ts, `conn.client.<domain>.<route>`): no hand-built `/v1/…` URL,
 * as a string or as the start of a template literal, anywhere under electron/.
 */
const MARKET_URL_MESSAGE =
  'Call the marketplace through the generated client (conn.client.<domain>.<route>, shared/contracts/marketplace): no hand-built /v1/ URLs.';
const MARKET_URL_SELECTORS = [
  { selector: 'Literal[value=/^\\/v1(\\/|$)/]', message: MARKET_URL_MESSAGE },
  { selector: 'TemplateLiteral[quasis.0.value.cooked=/^\\/v1(\\/|$)/]', message: MARKET_URL_MESSAGE },
];

// Import restrictions checked by @typescript-eslint/no-restricted-imports (type imports included), combined per file set below.
const STRIPE_MESSAGE = 'Only server/payments/processor.ts imports stripe; use its PaymentProcessor interface.';
const STRIPE = { paths: [{ name: 'stripe', message: STRIPE_MESSAGE }], patterns: [{ group: ['stripe/*'], message: STRIPE_MESSAGE }] };
const DRIVER_MESSAGE =
  'Only server/db.ts and server/repos/ use the database drivers; services take repositories (server/repos/<domain>.ts).';
const DRIVERS = {
  paths: [{ name: 'pg', message: DRIVER_MESSAGE }],
  patterns: [{ group: ['pg/*', '@electric-sql/pglite', '@electric-sql/pglite/*'], message: DRIVER_MESSAGE }],
};
const restrictImports = (...sets) => ['error', { paths: sets.flatMap((s) => s.paths), patterns: sets.flatMap((s) => s.patterns) }];
/** Files that may import stripe: the processor adapter, the webhook test that signs payloads as Stripe would, the money bench's SDK baseline. */
const STRIPE_FILES = ['server/payments/processor.ts', 'tests/integration/webhooks.test.ts', 'bench/money.bench.ts'];
/** Files that may import the database drivers: the connection (server/db.ts), the repositories, and the test helpers that create databases. */
const DRIVER_FILES = ['server/db.ts', 'server/repos/**', 'tests/helpers/**', 'tests/integration/pg-pool.test.ts'];

/**
 * SQL runs only in server/repos/ (and server/db.ts: connections, transactions, migrations). Outside
 * them no call passes SQL text to `query`/`exec`, and no database handle (`db`, `sql`, `tx`, `pool`,
 * `client`, or an object's `.db`) is queried at all.
 */
const SQL_MESSAGE = 'SQL belongs in server/repos/<domain>.ts: call a repository function instead of querying the database here.';
const SQL_SELECTORS = [
  {
    selector: 'CallExpression[callee.property.name=/^(query|exec)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/]',
    message: SQL_MESSAGE,
  },
  {
    selector: 'CallExpression[callee.property.name=/^(query|exec)$/][callee.object.name=/^(db|sql|tx|pool|client)$/]',
    message: SQL_MESSAGE,
  },
  { selector: "CallExpression[callee.property.name=/^(query|exec)$/][callee.object.property.name='db']", message: SQL_MESSAGE },
];

/**
 * Server layers, one direction: routes → services → repos → db. A route module calls services only
 * (never a repository or the database); services never reach back into HTTP (routes, router,
 * pipeline). Each set keeps the server-wide rule (no desktop-app imports), which it replaces.
 */
const SERVER_APP = {
  group: ['electron', '**/electron/**', '**/renderer/**'],
  message: 'server/ uses engine/ and shared/, never the desktop app.',
};
const ROUTES_LAYER = {
  group: ['**/repos', '**/repos/**', '**/db.ts', '**/db'],
  message:
    'server/routes/ calls services (server/services/<domain>/), never server/repos/ or server/db.ts: routes → services → repos → db.',
};
const SERVICES_LAYER = {
  group: ['**/routes', '**/routes/**', '**/http', '**/http/**'],
  message: 'server/services/ knows nothing of HTTP: it never imports server/routes/ or server/http/ (the routes call the services).',
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
      'no-restricted-syntax': ['error', IPC_SELECTOR],
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
    // The payment processor stays behind server/payments/processor.ts, the database drivers behind server/db.ts and server/repos/.
    files: ['**/*.ts', '**/*.tsx'],
    rules: { '@typescript-eslint/no-restricted-imports': restrictImports(STRIPE, DRIVERS) },
  },
  { files: DRIVER_FILES, rules: { '@typescript-eslint/no-restricted-imports': restrictImports(STRIPE) } },
  { files: STRIPE_FILES, rules: { '@typescript-eslint/no-restricted-imports': restrictImports(DRIVERS) } },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/db.ts', 'server/repos/**'],
    rules: { 'no-restricted-syntax': ['error', IPC_SELECTOR, ...SQL_SELECTORS] },
  },
  { files: ['server/routes/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [SERVER_APP, ROUTES_LAYER] }] } },
  { files: ['server/services/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [SERVER_APP, SERVICES_LAYER] }] } },
  {
    files: ['electron/**/*.ts', 'electron/**/*.tsx'],
    rules: { 'no-restricted-syntax': ['error', IPC_SELECTOR, ...MARKET_URL_SELECTORS] },
  },
  {
    files: ['electron/main/ipc.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...MARKET_URL_SELECTORS] },
  },
);
