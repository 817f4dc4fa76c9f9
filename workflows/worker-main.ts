// `charter worker`: runs the interpreter and its activities until SIGINT or SIGTERM, then lets
// running activities finish (the grace time) before closing its connections.
import { NativeConnection, Runtime } from '@temporalio/worker';
import { mongoClient, openStore } from '../store/index.js';
import { ConfigError, workerConfig } from './config.js';
import { reconcileMonitorsAtStart } from './monitor-start.js';
import { webhookNotifier } from './notifier.js';
import { startDelivery } from './notify/index.js';
import { signingKeyFromEnv, SigningKeyError } from './ledger/keys.js';
import { scheduleLedgerSignerAtStart } from './ledger/schedule.js';
import { scheduleQualificationRemindersAtStart } from './qualifications/schedule.js';
import { bundleForWorker } from './bundle-file.js';
import { createCharterWorker } from './worker.js';
import {
  describeTemporal,
  temporalConnectionOptions,
  TemporalTransportError,
} from './temporal-connection.js';

export async function main(
  env: Record<string, string | undefined>,
  log: (line: string) => void,
): Promise<number> {
  let config;
  let signingKey;
  let temporal;
  try {
    config = workerConfig(env);
    signingKey = signingKeyFromEnv(env);
    temporal = temporalConnectionOptions(config);
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof SigningKeyError ||
      error instanceof TemporalTransportError
    ) {
      log(`charter worker: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (config.CHARTER_WORKER_METRICS_ADDRESS !== undefined) {
    // Before the first connection: the runtime is made once per process, with its exporter.
    Runtime.install({
      telemetryOptions: {
        metrics: {
          prometheus: {
            bindAddress: config.CHARTER_WORKER_METRICS_ADDRESS,
            countersTotalSuffix: true,
            useSecondsForDurations: true,
          },
        },
      },
    });
  }
  const mongo = mongoClient(config.MONGODB_URI, { onReconnect: (why) => log(`charter worker: ${why}`) });
  let connection: NativeConnection;
  try {
    await mongo.connect();
    connection = await NativeConnection.connect(temporal);
  } catch (error) {
    // An unreachable server is the operator's to fix, not a bug: a plain line and exit 1, as serve.
    await mongo.close().catch(() => undefined);
    log(`charter worker: could not start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  try {
    const store = await openStore(mongo.db(config.CHARTER_DATABASE));
    // Once per key, whichever worker starts with it first: a rotation shows on the admin chain.
    if (signingKey) {
      await store.adminLog.record({
        key: `signing-key:${signingKey.keyId}`,
        at: new Date(),
        actor: null,
        fact: { kind: 'signingKeyAdded', keyId: signingKey.keyId, algorithm: 'ed25519' },
      });
    }
    const { bundle, says: bundleSays } = await bundleForWorker(config.CHARTER_WORKFLOW_BUNDLE);
    const notifier = webhookNotifier(store.outbox, config);
    const worker = await createCharterWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.CHARTER_TASK_QUEUE,
      store,
      checkServices: config.CHARTER_CHECK_SERVICES,
      bundle,
      qualificationReminderDays: config.CHARTER_QUALIFICATION_REMINDER_DAYS,
      shutdownGraceTime: config.CHARTER_WORKER_SHUTDOWN_GRACE_MS,
      signingKey,
      outbox: notifier !== null,
    });
    notifier?.start(log);
    const delivery = startDelivery(store, config, log);
    const services = Object.keys(config.CHARTER_CHECK_SERVICES);
    log(
      `charter worker ready: task queue "${config.CHARTER_TASK_QUEUE}" on Temporal ${describeTemporal(temporal)}, ` +
        `MongoDB database "${config.CHARTER_DATABASE}", check services: ${services.length > 0 ? services.join(', ') : 'none'}, ` +
        `webhooks: ${config.CHARTER_WEBHOOKS.length}, ` +
        `mail: ${delivery.mail}, ` +
        `ledger heads: ${signingKey ? `signed with key ${signingKey.keyId}` : 'not signed (no CHARTER_SIGNING_KEY or CHARTER_SIGNING_KEY_FILE)'}, ` +
        `metrics: ${config.CHARTER_WORKER_METRICS_ADDRESS === undefined ? 'off' : `http://${config.CHARTER_WORKER_METRICS_ADDRESS}/metrics`}, ` +
        `workflow bundle: ${bundleSays}`,
    );
    // Worker.run() shuts down on SIGINT/SIGTERM by itself and resolves once it has drained.
    // Meanwhile, whatever was published or retired while no worker ran is scheduled, and the daily
    // qualification reminders are made sure of (neither is ever fatal).
    const startLog = (line: string) => log(`charter worker: ${line}`);
    await Promise.all([
      worker.run(),
      reconcileMonitorsAtStart({
        ...temporal,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.CHARTER_TASK_QUEUE,
        store,
        log: startLog,
      }),
      scheduleQualificationRemindersAtStart({
        ...temporal,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.CHARTER_TASK_QUEUE,
        log: startLog,
      }),
      scheduleLedgerSignerAtStart({
        ...temporal,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.CHARTER_TASK_QUEUE,
        minutes: config.CHARTER_LEDGER_SIGN_MINUTES,
        log: startLog,
      }),
    ]);
    await notifier?.stop();
    await delivery.stop();
    log('charter worker stopped');
    return 0;
  } finally {
    await connection.close();
    await mongo.close();
  }
}
