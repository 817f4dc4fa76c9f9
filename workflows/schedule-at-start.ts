// A Temporal Schedule a worker makes sure of when it starts (the qualification reminders, the
// ledger signer): connect, create it unless it exists, log what was found, and never throw, so a
// worker does not stop over its schedule; the next start tries again.
import { Client, Connection, type ScheduleOptions } from '@temporalio/client';
import { ensureSchedule, type EnsuredSchedule } from './monitor-start.js';
import { connectionPart, type TemporalConnectionOptions } from './temporal-connection.js';

/** Temporal's address (TLS, API key) and namespace, as the worker's own connection has them. */
export interface ScheduleStartOptions extends TemporalConnectionOptions {
  namespace: string;
  log: (line: string) => void;
}

/**
 * Ensures `schedule` exists; `what` names the job in the log lines ("qualifications: daily expiry
 * reminders", "ledger: signer"), `when` says how often it runs.
 */
export async function ensureScheduleAtStart(
  options: ScheduleStartOptions,
  schedule: ScheduleOptions,
  what: string,
  when: string,
): Promise<EnsuredSchedule | null> {
  const { log } = options;
  const id = schedule.scheduleId;
  let connection: Connection | null = null;
  try {
    connection = await Connection.connect(connectionPart(options));
    const client = new Client({ connection, namespace: options.namespace });
    const ensured = await ensureSchedule(client, schedule);
    if (ensured.outcome === 'created') log(`${what} scheduled (${id}, ${when})`);
    if (ensured.outcome === 'updated')
      log(`${what} rescheduled (${id}, ${when}; it ran every ${ensured.was.map(minutes).join(', ')})`);
    if (ensured.outcome === 'other')
      log(
        `${what}: the schedule ${id} runs on task queue "${ensured.taskQueue}"; this worker leaves it as it is`,
      );
    return ensured;
  } catch (error) {
    log(
      `${what}: scheduling failed (the next worker start tries again): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    return null;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

const minutes = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${ms / 1000} s`);
