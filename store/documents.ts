// What every repository in store/ shares: reading a stored document back through zod, and
// recognising the duplicate-key error that carries most of the store's correctness.
//
// Why parse on read at all: the database is shared with people holding a shell. A document that
// was edited by hand, or written by an older Charter, must stop at the store boundary with a message
// that says where to look, instead of surfacing three layers up as `undefined is not a function`.
import type { ClientSession, Db } from 'mongodb';
import { z } from 'zod';
import type { SourceSpan } from '../engine/ir/index.js';

/** A stored document that does not have the shape this code writes. */
export class StoredDocumentError extends Error {
  override name = 'StoredDocumentError';

  constructor(
    readonly collection: string,
    readonly id: string | null,
    readonly problem: string,
  ) {
    super(
      `unparseable document in \`${collection}\`${id === null ? '' : ` (_id ${JSON.stringify(id)})`}: ${problem}`,
    );
  }
}

/** The `_id` of a raw document, for error messages only: whatever shape the rest of it has. */
export function idOf(doc: unknown): string | null {
  if (typeof doc !== 'object' || doc === null || !('_id' in doc)) return null;
  const id: unknown = doc._id;
  return typeof id === 'string' ? id : String(id);
}

/** One line naming the first failing field, so that the message fits a log line. */
function describe(error: z.ZodError): string {
  const [first, ...rest] = error.issues;
  if (first === undefined) return 'unknown problem';
  const path = first.path.length === 0 ? '(root)' : first.path.map(String).join('.');
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more)`;
  return `${path}: ${first.message}${more}`;
}

/** The parsed document, or StoredDocumentError naming the collection, the `_id` and the field. */
export function parseDoc<T>(schema: z.ZodType<T>, doc: unknown, collection: string): T {
  const result = schema.safeParse(doc);
  if (result.success) return result.data;
  throw new StoredDocumentError(collection, idOf(doc), describe(result.error));
}

/**
 * The server's duplicate-key error (code 11000), from insertOne as from a bulk write. Checked by
 * code rather than `instanceof MongoServerError` because jest's vm modules can load the driver
 * twice, and an error from the other copy would fail `instanceof`.
 */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

export const hexDigest = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');

/** Which policy version a document belongs to, as every collection and API answer names it. */
export const policyRefSchema = z.object({ name: z.string(), version: z.number().int(), sha256: z.string() });

export const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');

/** Spans come back from the database as plain numbers; strict, like the IR schema they mirror. */
export const spanSchema: z.ZodType<SourceSpan> = z.strictObject({
  file: z.number(),
  line: z.number(),
  col: z.number(),
  endLine: z.number(),
  endCol: z.number(),
});

/** A real instant: `new Date('garbage')` is a Date too, and would poison sorting and hashing. */
export const validDate = z.date().refine((d) => !Number.isNaN(d.getTime()), 'expected a valid date');

/** The write errors of a failed insertMany or bulkWrite, whatever copy of the driver threw it. */
export function writeErrorsOf(error: unknown): { code?: unknown; index?: unknown }[] | null {
  if (typeof error !== 'object' || error === null || !('writeErrors' in error)) return null;
  const errors = error.writeErrors;
  if (Array.isArray(errors)) return errors as { code?: unknown; index?: unknown }[];
  return errors === null || errors === undefined ? null : [errors];
}

/** `work` in one transaction on `db`'s client; the driver retries it on a transient conflict. */
export async function inTransaction<T>(db: Db, work: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = db.client.startSession();
  try {
    return await session.withTransaction(() => work(session));
  } finally {
    await session.endSession();
  }
}
