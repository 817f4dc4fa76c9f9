// Which Temporal Schedules Charter made for monitors, per deployment (task queue). Temporal's list
// of schedules is read from its visibility store, which lags behind a create or a delete; this
// record is written with each create and read back when reconciling, so a schedule made a moment
// ago is neither made twice nor forgotten when its monitor goes out of force.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { parseDoc, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';

const COLLECTION = 'monitor_schedules';

const docSchema = z.strictObject({
  _id: z.string(),
  taskQueue: z.string(),
  policy: z.string(),
  monitor: z.string(),
  at: validDate,
});
type ScheduleDoc = z.infer<typeof docSchema>;

export interface ManagedSchedule {
  scheduleId: string;
  policy: string;
  monitor: string;
}

export class MonitorSchedules {
  private readonly schedules: Collection<ScheduleDoc>;

  constructor(db: Db) {
    this.schedules = db.collection<ScheduleDoc>(COLLECTION);
  }

  /** Records a schedule as Charter's (idempotent). */
  async remember(taskQueue: string, s: ManagedSchedule, at: Date): Promise<void> {
    await this.schedules.updateOne(
      { _id: s.scheduleId },
      { $set: { taskQueue, policy: s.policy, monitor: s.monitor }, $setOnInsert: { at } },
      { upsert: true },
    );
  }

  async forget(scheduleId: string): Promise<void> {
    await this.schedules.deleteOne({ _id: scheduleId });
  }

  /** The schedules of a deployment: one find on `by_task_queue`. */
  async of(taskQueue: string): Promise<ManagedSchedule[]> {
    const raws = await this.schedules.find({ taskQueue }).toArray();
    return raws
      .map((raw) => parseDoc(docSchema, raw, COLLECTION))
      .map((d) => ({ scheduleId: d._id, policy: d.policy, monitor: d.monitor }));
  }
}

export const monitorScheduleCollections: CollectionSpec[] = [
  {
    name: COLLECTION,
    holds: 'one Temporal Schedule Charter made for a monitor (`_id` = schedule id), per task queue',
    shardKey: { _id: 1 },
    indexes: [
      {
        name: 'by_task_queue',
        key: { taskQueue: 1, _id: 1 },
        serves: 'the schedules of one deployment, when reconciling (of)',
      },
    ],
  },
];
