// The in-app list: the console's bell (`notifications`, `_id` = the notice's id). Every notice a
// person receives lands here whatever their mail and chat choices, so the list is the one place that
// shows everything they were told; the worker adds each through the `inapp` delivery.
//
// Invariants and what guards them:
// - A notice is listed once however often its delivery is retried: the `_id` is the notice's
//   deterministic id, and insertOne's duplicate-key error is the retry, swallowed.
// - A person reads and marks only their own notifications: every query and update carries
//   `recipient`; ids of other people's notifications match nothing.
// - Marking read is final and keeps the first time: updates are conditioned on `readAt: null`, so
//   two tabs marking at once count each notification once.
//
// Reads: the list is one indexed find per page (paging.ts), newest first; the unread count is one
// count on the index whose prefix is (recipient, readAt), the unread page one find on the same
// index, which `readAt: null` keys first. Pages name their index (`hint`, as paging.ts needs for
// its cursor filters); the count and mark-all are plain equalities the planner serves unhinted.
//
// The notice is stored as the plain JSON it is (engine/notices/types.ts promises its fields are
// never renamed) and checked on read by `noticeSchema`, which the delivery queue shares.
import type { AnyBulkWriteOperation, Collection, Db, Document } from 'mongodb';
import { z } from 'zod';
import { NOTICE_KINDS, type Notice } from '../engine/notices/types.js';
import { isDuplicateKey, parseDoc, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';
import { findPage, type SortField } from './paging.js';

const COLLECTION = 'notifications';
/** Index names, as the manifest below declares them and the queries hint them. */
const LIST = 'notifications_list';
const UNREAD = 'notifications_unread';

export interface InAppNotification {
  id: string;
  recipient: string;
  notice: Notice;
  at: Date;
  readAt: Date | null;
}

/**
 * A stored notice: the fields that route and list it are checked, the rest (the instance, the
 * finding or the qualification, the cause's fact) is kept as written, so that a notice of an older
 * Charter still reads. Unknown kinds are refused: nothing downstream could render them.
 */
export const noticeSchema = z
  .looseObject({
    id: z.string().min(1),
    kind: z.enum(NOTICE_KINDS),
    recipient: z.string().min(1),
    onBehalfOf: z.string().nullable(),
    at: z.number(),
    // Null when a monitor's finding (`finding`) or a qualification (`qualification`) is what it is about.
    instance: z.looseObject({ id: z.string(), process: z.string(), policy: z.string() }).nullable(),
    finding: z.looseObject({ id: z.string(), monitor: z.string(), project: z.string() }).optional(),
    // A reminder that a qualification expires (engine/notices/qualifications.ts).
    qualification: z
      .looseObject({ id: z.string(), name: z.string(), completedOn: z.string(), expiresOn: z.string() })
      .optional(),
    task: z.string().nullable(),
    step: z.string().nullable(),
    due: z.looseObject({ at: z.number(), zone: z.string() }).nullable(),
    cause: z.looseObject({ kind: z.string() }),
  })
  // Nothing downstream could say what a notice about nothing is about.
  .refine(
    (notice) =>
      notice.instance !== null || notice.finding !== undefined || notice.qualification !== undefined,
    { path: ['instance'], message: 'a notice is about an instance, a finding or a qualification' },
  )
  .transform((notice): Notice => notice as unknown as Notice);

/**
 * A notice as plain JSON, the way it is stored: fields holding `undefined` are dropped (the driver
 * would write them as null, and the notice read back would differ from the one planned).
 */
export const storedNotice = (notice: Notice): Notice => JSON.parse(JSON.stringify(notice)) as Notice;

interface NotificationDoc {
  _id: string;
  recipient: string;
  notice: Notice;
  at: Date;
  readAt: Date | null;
}

const docSchema: z.ZodType<NotificationDoc> = z.object({
  _id: z.string(),
  recipient: z.string(),
  notice: noticeSchema,
  at: validDate,
  readAt: validDate.nullable(),
});

function toNotification(raw: Document): InAppNotification {
  const doc = parseDoc(docSchema, raw, COLLECTION);
  return { id: doc._id, recipient: doc.recipient, notice: doc.notice, at: doc.at, readAt: doc.readAt };
}

/** Newest first; `_id` last so that the order is total (paging.ts). */
const NEWEST_FIRST: readonly SortField[] = [
  { field: 'at', order: -1 },
  { field: '_id', order: -1 },
];

export class InAppNotifications {
  private readonly items: Collection<NotificationDoc>;

  constructor(db: Db) {
    this.items = db.collection<NotificationDoc>(COLLECTION);
  }

  /** Lists the notice for its recipient; adding it again (a retried delivery) does nothing. */
  async add(notice: Notice, at: Date): Promise<void> {
    try {
      await this.items.insertOne({
        _id: notice.id,
        recipient: notice.recipient,
        notice: storedNotice(notice),
        at,
        readAt: null,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** The recipient's notifications, newest first, `limit` after the page `cursor` ended. */
  async page(
    recipient: string,
    options: { cursor: string | null; limit: number; unread?: boolean },
  ): Promise<{ items: InAppNotification[]; nextCursor: string | null }> {
    const unread = options.unread === true;
    // Two lists with cursors of their own: a cursor of all notifications is refused by the unread ones.
    const page = await findPage(this.items as unknown as Collection<Document>, {
      list: unread ? 'notifications.unread' : 'notifications',
      filter: unread ? { recipient, readAt: null } : { recipient },
      sort: NEWEST_FIRST,
      ...(options.cursor === null ? {} : { after: options.cursor }),
      limit: options.limit,
      parse: toNotification,
      hint: unread ? UNREAD : LIST,
      unhintedFirstPage: true,
    });
    return { items: page.items, nextCursor: page.next };
  }

  /** How many of the recipient's notifications are unread: one count on the unread index. */
  async unreadCount(recipient: string): Promise<number> {
    // Unhinted: the planner takes the unread index for these equalities, and SecantusDB 0.7 walks
    // the whole index when told by a hint (437 ms at 20,000 notifications; 3 ms without). The
    // bell asks this every few seconds for everyone signed in.
    return this.items.countDocuments({ recipient, readAt: null });
  }

  /**
   * Marks the recipient's notifications read at `at`: the given ids, or all unread ones. Ids of
   * other people's notifications, unknown ids and notifications already read change nothing; the
   * answer is how many changed. The ids are updated one `_id` each in one bulk write (an `_id`
   * `$in` beside `recipient` would be a collection scan on SecantusDB 0.7).
   */
  async markRead(recipient: string, ids: readonly string[] | 'all', at: Date): Promise<number> {
    if (ids === 'all') {
      const result = await this.items.updateMany({ recipient, readAt: null }, { $set: { readAt: at } });
      return result.modifiedCount;
    }
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return 0;
    const ops: AnyBulkWriteOperation<NotificationDoc>[] = wanted.map((id) => ({
      updateOne: { filter: { _id: id, recipient, readAt: null }, update: { $set: { readAt: at } } },
    }));
    const result = await this.items.bulkWrite(ops, { ordered: false });
    return result.modifiedCount;
  }
}

/** This module's collection and the indexes its queries use (store/manifest.ts). */
export const notificationCollections: CollectionSpec[] = [
  {
    name: COLLECTION,
    holds: "one notice in a person's in-app list (`_id` = the notice's id), read or not",
    // Every read names the recipient; add and single marks name the `_id`, on the same shard only
    // when the recipient is the key: recipient-hashed keeps a person's list on one shard.
    shardKey: { recipient: 'hashed' },
    indexes: [
      {
        name: LIST,
        key: { recipient: 1, at: -1, _id: -1 },
        serves: "a person's notifications, newest first (InAppNotifications.page)",
      },
      {
        name: UNREAD,
        key: { recipient: 1, readAt: 1, at: -1, _id: -1 },
        serves: "a person's unread count and unread page (readAt null = unread), and mark all read",
      },
    ],
  },
];
