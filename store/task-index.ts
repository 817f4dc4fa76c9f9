// Who has which task, kept as keyed lists (keyed-list.ts) so that an inbox, and "may this approver
// see that instance", are a handful of `_id` look-ups on FerretDB instead of a scan of every task.
//  - `inbox`: per person, the tasks opened for or widened to them, with the two fields the inbox
//    sorts by (both fixed when the task opens). Closed tasks are pruned from the digest as readers
//    meet them; a close is final, so a pruned task never belongs back.
//  - `assigned`: per person, every instance with a task ever assigned to them: never pruned, since
//    an approver keeps seeing what they once had to decide.
// The task documents stay the truth: an entry only says "look at this task", and the inbox shows a
// task only if its document says it is open and assigned to one of the people asked about.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { KeyedList, type ListRead } from './keyed-list.js';

const inboxEntry = z.object({ id: z.string(), due: z.number(), opened: z.number() });
const assignedEntry = z.object({ id: z.string() });
export type InboxEntry = z.infer<typeof inboxEntry>;

/** What the index needs to know of a task to list it. */
export interface IndexedTask {
  id: string;
  instanceId: string;
  dueKey: Date;
  openedAt: Date;
}

/** The inbox order: soonest deadline first, then oldest, then by id. */
export function inboxOrder(a: InboxEntry, b: InboxEntry): number {
  return a.due - b.due || a.opened - b.opened || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class TaskIndex {
  private readonly inbox: KeyedList<InboxEntry>;
  private readonly assigned: KeyedList<{ id: string }>;

  constructor(db: Db) {
    this.inbox = new KeyedList(db, 'inbox', inboxEntry);
    this.assigned = new KeyedList(db, 'assigned', assignedEntry);
  }

  /** Lists `task` for each of `people` (idempotent: entries are deduplicated on read). */
  async assign(task: IndexedTask, people: readonly string[]): Promise<void> {
    const entry = entryOf(task);
    await Promise.all(
      [...new Set(people)].flatMap((person) => [
        this.inbox.add(person, [entry]),
        this.assigned.add(person, [{ id: task.instanceId }]),
      ]),
    );
  }

  /** Records that `people` had a task of `instanceId` (a closed task: no inbox entry). */
  async remember(instanceId: string, people: readonly string[]): Promise<void> {
    await Promise.all([...new Set(people)].map((person) => this.assigned.add(person, [{ id: instanceId }])));
  }

  /** The inbox entries of each of `people`, as read (pass a read back to `prune`). */
  async inboxOf(people: readonly string[]): Promise<Map<string, ListRead<InboxEntry>>> {
    const unique = [...new Set(people)];
    const reads = await this.inbox.readMany(unique);
    return new Map(unique.map((person, i) => [person, reads[i]!]));
  }

  /** Drops tasks found closed from the digests of the inboxes they were read from. */
  async prune(reads: Map<string, ListRead<InboxEntry>>, closed: ReadonlySet<string>): Promise<void> {
    if (closed.size === 0) return;
    const touched = [...reads].filter(([, read]) => read.entries.some((e) => closed.has(e.id)));
    await Promise.all(touched.map(([person, read]) => this.inbox.prune(person, read, closed)));
  }

  /** Instances with a task ever assigned to one of `people`. */
  async instancesOf(people: readonly string[]): Promise<Set<string>> {
    const reads = await this.assigned.readMany([...new Set(people)]);
    return new Set(reads.flatMap((read) => read.entries.map((e) => e.id)));
  }

  /**
   * Bulk load for a benchmark's seed or a one-off rebuild, with nothing else writing: every
   * person's whole inbox (open tasks) and instance list in one digest each.
   */
  async load(inboxes: Map<string, IndexedTask[]>, instances: Map<string, string[]>): Promise<void> {
    for (const [person, tasks] of inboxes) await this.inbox.load(person, tasks.map(entryOf));
    for (const [person, ids] of instances) {
      await this.assigned.load(
        person,
        ids.map((id) => ({ id })),
      );
    }
  }
}

function entryOf(task: IndexedTask): InboxEntry {
  return { id: task.id, due: task.dueKey.getTime(), opened: task.openedAt.getTime() };
}
