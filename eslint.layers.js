// The import arrows of docs/architecture.md, as lint rules, so that a wrong-way import fails
// `npm test` instead of waiting for a reviewer. test/unit/layering.test.ts proves each rule bites.
//
//   api ──► dsl ──► engine (pure)        workflows/definitions: engine + @temporalio/workflow only
//    └───► workflows ──► store            store/: the only MongoDB code (tests, bench, scripts aside)
//   web/ (the console): engine/ and dsl/ (not dsl/cli/), everything else through /v1
import { builtinModules } from 'node:module';
import { cyclePlugin } from './eslint.cycles.js';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), 'node:*'];

const io = [
  { group: nodeBuiltins, message: 'pure code does no I/O: time and the outside world arrive as events' },
  { group: ['mongodb', 'mongodb/*'], message: 'MongoDB access belongs in store/' },
  { group: ['express', 'express/*'], message: 'HTTP belongs in api/' },
];
const mongo = io[1];
const temporal = { group: ['@temporalio/*'], message: 'Temporal belongs in workflows/ and api/' };
const upward = (folders) =>
  folders.map((folder) => ({
    group: [`**/${folder}`, `**/${folder}/**`],
    message: `this layer may not import ${folder}/ (see docs/architecture.md)`,
  }));

const restrict = (patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});

// Reads of the clock or randomness make replay and simulation diverge.
const determinism = {
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'time enters the engine only through events' },
    { object: 'Math', property: 'random', message: 'the engine is deterministic: no randomness' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'time enters the engine only through events',
    },
  ],
};

export const layerConfigs = [
  {
    // Every folder, including ones added later (web/, tools/): layers below repeat the ban.
    name: 'charter/no-mongodb-outside-store',
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['store/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: restrict([mongo]),
  },
  {
    name: 'charter/engine-pure',
    files: ['engine/**/*.ts'],
    rules: {
      ...restrict([
        ...io,
        temporal,
        { group: ['chevrotain'], message: 'the engine does not parse policy text' },
        ...upward(['dsl', 'api', 'workflows', 'store']),
      ]),
      ...determinism,
    },
  },
  {
    name: 'charter/store',
    files: ['store/**/*.ts'],
    rules: restrict([
      { group: ['express', 'express/*'], message: 'HTTP belongs in api/' },
      temporal,
      ...upward(['dsl', 'api', 'workflows']),
    ]),
  },
  {
    name: 'charter/dsl',
    files: ['dsl/**/*.ts'],
    ignores: ['dsl/cli/**'],
    rules: restrict([
      ...io,
      temporal,
      ...upward(['api', 'workflows', 'store']),
      {
        group: ['**/engine/*', '!**/engine/ir', '!**/engine/ir/**', '!**/engine/ir.js'],
        message: 'dsl/ may import only the IR types of engine/',
      },
    ]),
  },
  {
    name: 'charter/workflow-definitions',
    files: ['workflows/definitions/**/*.ts'],
    rules: {
      ...restrict([
        ...io,
        {
          group: ['@temporalio/*', '!@temporalio/workflow', '!@temporalio/common'],
          message: 'workflow code runs in the sandbox: only @temporalio/workflow',
        },
        ...upward(['dsl', 'api', 'store']),
        {
          group: ['**/activities', '**/activities/**'],
          message: 'import activities by type only',
          allowTypeImports: true,
        },
      ]),
      ...determinism,
    },
  },
  {
    name: 'charter/workflows',
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/definitions/**'],
    rules: restrict([
      { group: ['express', 'express/*'], message: 'HTTP belongs in api/' },
      mongo,
      ...upward(['dsl', 'api']),
    ]),
  },
  {
    name: 'charter/api',
    files: ['api/**/*.ts'],
    rules: restrict([
      mongo,
      {
        group: [
          '**/workflows/definitions/*',
          '!**/workflows/definitions/messages',
          '!**/workflows/definitions/messages.js',
          '!**/workflows/definitions/monitor-messages',
          '!**/workflows/definitions/monitor-messages.js',
        ],
        message: 'the API uses the workflow message definitions, never workflow internals',
      },
    ]),
  },
  {
    // The console is a client of /v1: it may share pure code (engine/, and dsl/ for the studio's
    // editor: the same checker and formatter as the server), never the server's, nor the
    // `charter` command line (dsl/cli/ reads files).
    name: 'charter/web',
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: restrict([
      ...io,
      temporal,
      ...upward(['store', 'workflows', 'api', 'scripts']),
      {
        group: ['**/dsl/cli', '**/dsl/cli/**'],
        message: 'the console may use the pure dsl/ front end, never its command line (dsl/cli/)',
      },
    ]),
  },
  {
    // Files depend one way: no import cycles, type-only imports included (eslint.cycles.js).
    name: 'charter/no-import-cycle',
    files: ['{api,dsl,engine,store,workflows,scripts,bench}/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    plugins: { charter: cyclePlugin },
    rules: { 'charter/no-import-cycle': 'error' },
  },
];
