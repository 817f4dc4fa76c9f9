// Paging of every list the API serves from the store (store/paging.ts): `limit` (default 50, at most 500) and an
// opaque `cursor` that the previous page handed out, answered as `{ items, nextCursor }`.
//
// The cursor is the store's (the list's name and the last row's sort key), handed to the client
// and back unchanged: the API has no codec of its own. The query schema checks only its shape
// (store/paging.ts isCursorShaped), so that one 422 names every bad field of a request at once; which
// list issued it, and the key inside, are the store's to check: one it did not issue fails with
// InvalidCursorError, which the error handler answers with 422 at `query.cursor` too.
import { z } from 'zod';
import { isCursorShaped, type KeyPage } from '../store/index.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

const limit = z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT);

/** The query fields of every list the store pages; extend it with the route's own filters. */
export const pageQuery = z.object({
  limit,
  cursor: z.string().refine(isCursorShaped, 'not a cursor this list issued').optional(),
});

/** The response schema of a list of `item`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** The answer of a list: a store page's items, shown, and the cursor of the next page. */
export function pageAnswer<S, T>(
  page: KeyPage<S>,
  show: (item: S) => T,
): { items: T[]; nextCursor: string | null } {
  return { items: page.items.map(show), nextCursor: page.next };
}
