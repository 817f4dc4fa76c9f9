// Four projects: `unit` (pure code, parallel), `integration` (real Temporal and SecantusDB, one
// suite at a time in scripts/test.sh because every suite bundles workflow code and shares 2 cores),
// `contract` (schemathesis against the API on the same servers, test/contract/) and `browser` (the
// console in Chromium, also one at a time).
// The code base is ESM (chevrotain 11 ships ESM only), so jest runs with --experimental-vm-modules.
import { createDefaultEsmPreset } from 'ts-jest';

const esm = createDefaultEsmPreset({ tsconfig: 'tsconfig.json' });

const shared = {
  ...esm,
  testEnvironment: 'node',
  // Sources import siblings as `./x.js` (NodeNext); jest resolves them to the `.ts` files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    // The OpenAPI document against the running API: schemathesis from .tools/schemathesis.
    { ...shared, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.test.ts'] },
    // The console in a real Chromium against the API on real servers (test/browser/README.md).
    // Code passed to page.evaluate runs in the page: these suites compile with the DOM's types.
    {
      ...shared,
      ...createDefaultEsmPreset({ tsconfig: 'test/browser/tsconfig.json' }),
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
    },
  ],
  // Bundling workflow code and starting workers takes seconds on a shared 2-core machine. A global
  // option: jest ignores `testTimeout` inside a project (hooks then failed at the 5 s default).
  testTimeout: 60_000,
  // Each ESM suite leaves its module graph (Temporal SDK, driver, Express) on the heap of the
  // process that ran it: in band, 77 integration suites grew it by 60-90 MB each until garbage
  // collection took most of the time (a suite taking 3 s alone took 109 s late in a run). So the
  // suites run in a worker process (`--maxWorkers=1`, not `--runInBand`), replaced once it holds
  // more than this after a suite.
  workerIdleMemoryLimit: '700MB',
};
