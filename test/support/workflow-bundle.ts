// The interpreter's workflow bundle, built once per source state and shared by every test process
// and every `charter worker` a test spawns (CHARTER_WORKFLOW_BUNDLE, workflows/bundle-file.ts).
// Bundling costs 3-4 s of CPU; the integration and browser suites each start workers, so
// `npm test` bundled the same code about eighty times, minutes of the two cores' time.
import path from 'node:path';
import type { WorkflowBundle } from '@temporalio/worker';
import { workflowBundleFromFile } from '../../workflows/bundle-file.js';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
/** The file the tests keep the bundle in; workers spawned by tests get it as CHARTER_WORKFLOW_BUNDLE. */
export const TEST_BUNDLE_FILE = path.join(root, '.tools', 'cache', 'workflow-bundle.js');

let inProcess: Promise<WorkflowBundle> | null = null;

/** The bundle `bundleCharterWorkflows()` builds, from the kept file when the sources are unchanged. */
export function charterTestBundle(): Promise<WorkflowBundle> {
  inProcess ??= workflowBundleFromFile(TEST_BUNDLE_FILE).then(
    ({ bundle }) => bundle,
    (error: unknown) => {
      inProcess = null;
      throw error;
    },
  );
  return inProcess;
}
