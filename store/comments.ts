// Comments on tasks: what approvers and requesters say to each other about a request, with the
// people they @mention. A comment is written once and never edited, so the collection is a log.
//
// Why ids `<task>:<n>` with n = last + 1 rather than random ids: the order of a conversation must
// be the order the server accepted it in, and the cursor of a page is then just `n`. Two people
// commenting at once race for the same n; the unique `_id` lets exactly one insert win (FerretDB v1
// enforces unique keys, not filtered updates), and the loser re-reads and takes the next number.
import type { CollectionSpec } from './manifest.js';
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey, parseDoc, validDate } from './documents.js';

const COLLECTION = 'task_comments';
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

export class CommentStore {
  private readonly comments: Collection<CommentDoc>;

  constructor(db: Db) {
    this.comments = db.collection<CommentDoc>(COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.comments.createIndex({ taskId: 1, seq: 1 }, { name: 'by_task' });
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

  /** The task's comments in order, `limit` at a time, strictly after comment number `afterSeq`. */
  async list(
    taskId: string,
    page: { afterSeq?: number; limit: number },
  ): Promise<{ comments: TaskComment[]; nextSeq: number | null }> {
    const limit = Math.max(1, Math.min(page.limit, 500));
    const raws = await this.comments
      .find({ taskId, seq: { $gt: page.afterSeq ?? 0 } })
      .sort({ seq: 1 })
      .limit(limit + 1)
      .toArray();
    const comments = raws.slice(0, limit).map((raw) => toComment(parseDoc(commentSchema, raw, COLLECTION)));
    const last = comments.at(-1);
    return { comments, nextSeq: raws.length > limit && last !== undefined ? last.seq : null };
  }

  private async lastSeq(taskId: string): Promise<number> {
    const [last] = await this.comments.find({ taskId }).sort({ seq: -1 }).limit(1).toArray();
    return last === undefined ? 0 : parseDoc(commentSchema, last, COLLECTION).seq;
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const commentCollections: CollectionSpec[] = [];
