// Shared Temporal set-up for integration suites: quiet logs, one workflow bundle per test file.
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { quietLogger } from '../../workflows/worker.js';

let runtimeInstalled = false;

/**
 * Workers log every state change at INFO; tests only want warnings and errors. The Runtime is a
 * process-wide singleton that can be installed once, before the first connection.
 */
export function useQuietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Another suite in this process installed it already: the same settings apply.
  }
  runtimeInstalled = true;
}

/** Bundling costs about a second and much memory: call it once per test file, in beforeAll. */
export function bundleWorkflows(workflowsPath: string): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, logger: quietLogger });
}
