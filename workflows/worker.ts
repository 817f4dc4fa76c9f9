// A Charter worker: the interpreter workflow and its activities on one task queue, against one
// Temporal and one MongoDB. Used by `charter worker`, `npm start` and the integration tests, so
// all of them run the same bundle and the same activities.
import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import type { Store } from '../store/index.js';
import { type CheckServices, createActivities } from './activities/index.js';
import { createLedgerActivities } from './ledger/activities.js';
import type { SigningKey } from './ledger/keys.js';
import { createMonitorActivities } from './monitors/activities.js';
import { createQualificationActivities } from './qualifications/reminders.js';

export const DEFAULT_TASK_QUEUE = 'charter';

const definitions = fileURLToPath(new URL('./definitions/index.ts', import.meta.url));

/** Bundler logs: warnings and errors only (the tests use it too). */
export const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/**
 * The workflow bundle, built from the TypeScript sources: imports say `.js` (NodeNext) and webpack
 * must find the `.ts` file behind each. Costs a few seconds: build it once per process.
 */
export function bundleCharterWorkflows(workflowsPath = definitions): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath,
    logger: quietLogger,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } },
    }),
  });
}

export interface CharterWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  store: Store;
  checkServices: CheckServices;
  bundle: WorkflowBundle;
  /** Lead times of the qualification expiry reminders (CHARTER_QUALIFICATION_REMINDER_DAYS); default 30 and 7. */
  qualificationReminderDays?: readonly number[];
  /**
   * Whether transitions queue messages for the integration webhooks (the outbox): `charter worker`
   * does when CHARTER_WEBHOOKS names any. Default true.
   */
  outbox?: boolean;
  /** Tests shorten this; a worker going down lets running activities finish for this long. */
  shutdownGraceTime?: string | number;
  /** The key tree heads are signed with (CHARTER_SIGNING_KEY[_FILE]); none: the tree grows unsigned. */
  signingKey?: SigningKey | null;
  /**
   * Tests that start a worker per case: workflows run on this thread instead of a worker thread of
   * their own, which costs about a second of CPU to start (SDK and bundle loaded again). The
   * workflow code runs in the same sandbox; only the deadlock detector is off.
   */
  workflowsOnThisThread?: boolean;
}

export function createCharterWorker(options: CharterWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    workflowBundle: options.bundle,
    activities: {
      ...createActivities({
        store: options.store,
        checkServices: options.checkServices,
        outbox: options.outbox ?? true,
      }),
      ...createMonitorActivities(options.store, options.taskQueue),
      ...createQualificationActivities(options.store, options.qualificationReminderDays),
      ...createLedgerActivities(options.store, options.signingKey ?? null),
    },
    shutdownGraceTime: options.shutdownGraceTime ?? '10 seconds',
    ...(options.workflowsOnThisThread === true ? { debugMode: true } : {}),
  });
}
