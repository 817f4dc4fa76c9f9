// Cursor pagination for the directory and resources lists: `limit` (default 50, at most 500) and
// an opaque `cursor` that the previous page handed out, answered as `{ items, nextCursor }`.
//
// Why the cursor is an encoded key and not an offset: the lists are ordered by a stable key, so a
// page boundary stays where it was when items are added or removed between two requests.
import { z } from 'zod';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** The cursor a client gets: the last key of the page, base64url-encoded so nobody builds one. */
export const encodeCursor = (key: string): string =>
  Buffer.from(JSON.stringify({ k: key })).toString('base64url');

/** The key inside a cursor, or null when the text is not a cursor this API handed out. */
export function decodeCursor(cursor: string): string | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof decoded !== 'object' || decoded === null || !('k' in decoded)) return null;
    return typeof decoded.k === 'string' && decoded.k.length > 0 ? decoded.k : null;
  } catch {
    return null;
  }
}

const cursorSchema = z
  .string()
  .max(2000)
  .transform((text, ctx) => {
    const key = decodeCursor(text);
    if (key === null) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor from a previous page of this list' });
      return z.NEVER;
    }
    return key;
  });

/** The query fields of every list route; extend it with the route's own filters. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: cursorSchema.optional(),
});

export type PageQuery = z.infer<typeof pageQuery>;

/** The response schema of a list of `item`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** The answer of a list: its items and the cursor of the next page (null on the last one). */
export function listAnswer<T>(items: T[], last: string | null): { items: T[]; nextCursor: string | null } {
  return { items, nextCursor: last === null ? null : encodeCursor(last) };
}
