// Comments on tasks: what approvers and requesters say to each other about a request, with the
// people they @mention. One document per comment, written once and never edited.
//
// The order of a conversation is the order the server accepted the comments in, so each comment
// is numbered: `_id` = `<task>:<n>`, n = the task's last number + 1. Two people commenting at once
// read the same last number and race for the same `_id`; the unique `_id` lets exactly one insert
// win, and the loser reads again and takes the next number. Chosen over a per-task counter
// (findOneAndUpdate `$inc` on a counter document, then the insert) because it needs no second
// collection, leaves no gap when a writer dies between the two, and costs the same two commands
// (the last number, the insert); contention is a handful of people on one task, so retries are rare.
// In a sharded cluster the shard key `taskId` keeps a task's comments, and so the race, on one shard.
import type { Collection, Db, Document } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey, parseDoc, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';
import { findPage, type Page, type SortField } from './paging.js';

const COLLECTION = 'task_comments';
const BY_TASK = 'by_task_seq';
const MAX_ATTEMPTS = 50;

const commentSchema = z.object({
  _id: z.string(),
  taskId: z.string(),
  instanceId: z.string(),
  step: z.string(),
  seq: z.number().int().min(1),
  author: z.string(),
  text: z.string(),
  mentions: z.array(z.string()),
  at: validDate,
});
type CommentDoc = z.infer<typeof commentSchema>;

export interface NewComment {
  taskId: string;
  instanceId: string;
  step: string;
  author: string;
  text: string;
  /** The people @mentioned in `text`, known to the directory, without duplicates. */
  mentions: string[];
  at: Date;
}

export interface TaskComment extends NewComment {
  /** `<task>:<n>`: unique, and in the order the comments were accepted. */
  id: string;
  seq: number;
}

const toComment = ({ _id, ...rest }: CommentDoc): TaskComment => ({ id: _id, ...rest });

/** Ends in `_id` as findPage wants; within a task `seq` alone is already unique. */
const CONVERSATION_ORDER: readonly SortField[] = [
  { field: 'seq', order: 1 },
  { field: '_id', order: 1 },
];

export class CommentStore {
  private readonly comments: Collection<CommentDoc>;

  constructor(db: Db) {
    this.comments = db.collection<CommentDoc>(COLLECTION);
  }

  /** Appends the comment after the task's last one (file comment: how concurrent writers agree). */
  async add(comment: NewComment): Promise<TaskComment> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const seq = (await this.lastSeq(comment.taskId)) + 1;
      const doc: CommentDoc = { _id: `${comment.taskId}:${seq}`, seq, ...comment };
      try {
        await this.comments.insertOne(doc);
        return toComment(doc);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`comment on ${comment.taskId}: no free number after ${MAX_ATTEMPTS} attempts`);
  }

  /** The task's comments in order, `limit` at a time, after the page the cursor `after` ended. */
  async list(
    taskId: string,
    page: { after?: string | undefined; limit: number },
  ): Promise<Page<TaskComment>> {
    return findPage(this.comments as unknown as Collection<Document>, {
      list: 'task.comments',
      filter: { taskId },
      sort: CONVERSATION_ORDER,
      after: page.after,
      limit: page.limit,
      parse: (raw) => toComment(parseDoc(commentSchema, raw, COLLECTION)),
      hint: BY_TASK,
    });
  }

  private async lastSeq(taskId: string): Promise<number> {
    const [last] = await this.comments
      .find({ taskId }, { sort: { seq: -1 }, limit: 1, projection: { seq: 1 }, hint: BY_TASK })
      .toArray();
    return last === undefined ? 0 : parseDoc(commentSchema.pick({ seq: true }), last, COLLECTION).seq;
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const commentCollections: CollectionSpec[] = [
  {
    name: COLLECTION,
    holds: 'one comment on a task (`_id` = `<task>:<n>`, n in the order the server accepted them)',
    shardKey: { taskId: 'hashed' },
    indexes: [
      {
        name: BY_TASK,
        key: { taskId: 1, seq: 1, _id: 1 },
        serves: "a task's conversation in order, by page (list), and its last number (add)",
      },
    ],
  },
];
