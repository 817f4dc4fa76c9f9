// Three projects: `unit` (pure code, parallel), `integration` (real Temporal and SecantusDB, run
// in band by scripts/test.sh because every suite bundles workflow code and shares 2 cores) and
// `browser` (the console in Chromium, also in band).
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
};
