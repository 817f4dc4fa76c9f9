// The ledger signer's Temporal Schedule as a worker start makes sure of it (dev server): made once,
// left alone by the next start with the same CHARTER_LEDGER_SIGN_MINUTES, and changed in place
// when a worker starts with another value (before, the first value stayed until someone deleted the
// schedule by hand). No worker runs here: the schedule is paused so that it starts nothing.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ledgerSignerScheduleId, scheduleLedgerSignerAtStart } from '../../workflows/ledger/schedule.js';
import { taskQueueFor, temporalAddress } from '../support/services.js';

describe('the ledger signer schedule at worker start (dev server)', () => {
  const taskQueue = `${taskQueueFor(import.meta.url)}-${randomUUID().slice(0, 6)}`;
  const scheduleId = ledgerSignerScheduleId(taskQueue);
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection });
  });

  afterAll(async () => {
    await client?.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    await connection?.close();
  });

  const startWith = (minutes: number, lines: string[]) =>
    scheduleLedgerSignerAtStart({
      address: temporalAddress(),
      namespace: 'default',
      taskQueue,
      minutes,
      log: (line) => lines.push(line),
    });
  const intervals = async (): Promise<number[]> =>
    ((await client.schedule.getHandle(scheduleId).describe()).spec.intervals ?? []).map((i) => i.every);

  test('when a worker starts with 10 minutes, then again, then with 5, the schedule is made, left, then changed to 5', async () => {
    const lines: string[] = [];
    expect(await startWith(10, lines)).toEqual({ outcome: 'created' });
    await client.schedule.getHandle(scheduleId).pause('a test: nothing may run');
    expect(await intervals()).toEqual([600_000]);

    expect(await startWith(10, lines)).toEqual({ outcome: 'present' });
    expect(await startWith(5, lines)).toEqual({ outcome: 'updated', was: [600_000] });
    const described = await client.schedule.getHandle(scheduleId).describe();
    expect(described.spec.intervals?.map((i) => i.every)).toEqual([300_000]);
    // The update changes the spec only: the action, its policies and the pause stay.
    expect(described.action).toMatchObject({ workflowType: 'charterLedgerSigner', taskQueue });
    expect(described.state.paused).toBe(true);
    expect(described.state.note).toBe('a test: nothing may run');

    expect(await startWith(5, lines)).toEqual({ outcome: 'present' });
    expect(lines).toEqual([
      `ledger: tree head signer scheduled (${scheduleId}, every 10 minutes)`,
      `ledger: tree head signer rescheduled (${scheduleId}, every 5 minutes; it ran every 10 minutes)`,
    ]);
  });
});
