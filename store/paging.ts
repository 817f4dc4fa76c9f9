// Key-range paging, the one way every list of the store pages: a page is the next `limit`
// documents in a sort that ends in `_id` (so it is total), after the sort key of the previous
// page's last row. Never `skip`: a skipped document is still read, and a boundary that is a key
// stays put when rows are added or removed between two requests.
//
// The cursor a client gets is opaque: base64url JSON of the list's name and the last row's sort
// key. The name makes a cursor of one list useless on another (InvalidCursorError, which the API
// answers with 422 at `query.cursor`); nothing in it is trusted beyond its shape, since a client
// can send anything.
//
// The filter after a key is written so that an index on the sort fields serves it in order: a
// bound on the first sort field (`$gte`/`$lte`) that the planner turns into index bounds, and the
// exact "strictly after" test as an `$or` the index scan filters on. An `$or` alone would be planned
// as several scans merged and then sorted. Every page names its index (`hint`): MongoDB would pick
// it anyway, and SecantusDB 0.7's planner scans the collection for any filter holding `$or` or
// `$and` unless told (test/integration/secantusdb-differences.test.ts). A page sorted by `_id` alone
// is the exception: on SecantusDB a hint of `_id_` walks the whole index.
import type { Collection, Document, Filter } from 'mongodb';

/** A value a sort key may hold. */
export type KeyValue = string | number | boolean | Date | null;

export interface SortField {
  /** A field path of the stored document (`dueKey`, `policy.name`, `_id`). */
  field: string;
  order: 1 | -1;
}

/** A cursor that this list did not issue, or that was altered. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';

  constructor(readonly list: string) {
    super(`not a cursor this list issued`);
  }
}

const BASE64URL = /^[A-Za-z0-9_-]{1,2000}$/;

type Encoded = string | number | boolean | null | { d: number };

const encodeValue = (v: KeyValue): Encoded => (v instanceof Date ? { d: v.getTime() } : v);

function decodeValue(v: unknown): KeyValue | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'object' && 'd' in v && typeof v.d === 'number' && Number.isFinite(v.d)) {
    return new Date(v.d);
  }
  return undefined;
}

/** The opaque cursor after a row whose sort key is `key`, for list `list`. */
export function encodeCursor(list: string, key: readonly KeyValue[]): string {
  return Buffer.from(JSON.stringify([list, ...key.map(encodeValue)]), 'utf8').toString('base64url');
}

/**
 * Whether `text` could be a cursor of some list at all (base64url JSON of an array): what an API
 * can check of a query before asking the list, which alone knows whether it issued it.
 */
export function isCursorShaped(text: string): boolean {
  if (!BASE64URL.test(text)) return false;
  try {
    return Array.isArray(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    return false;
  }
}

/** The sort key inside `cursor`; InvalidCursorError unless `list` issued it with `arity` values. */
export function decodeCursor(list: string, cursor: string, arity: number): KeyValue[] {
  let parsed: unknown;
  try {
    if (!BASE64URL.test(cursor)) throw new InvalidCursorError(list);
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(list);
  }
  if (!Array.isArray(parsed) || parsed[0] !== list || parsed.length !== arity + 1) {
    throw new InvalidCursorError(list);
  }
  const key = (parsed as unknown[]).slice(1).map(decodeValue);
  if (key.some((v) => v === undefined)) throw new InvalidCursorError(list);
  return key as KeyValue[];
}

/** The value at a dotted `path` of a stored document (undefined fields sort as null). */
export function valueAt(doc: Document, path: string): KeyValue {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Document)[part] : undefined;
  }
  return value === undefined ? null : (value as KeyValue);
}

/** The filter of the rows strictly after `key` in `sort` (see the file comment for its form). */
export function keyRangeAfter(sort: readonly SortField[], key: readonly KeyValue[]): Filter<Document> {
  const branches: Filter<Document>[] = sort.map((field, i) => {
    const branch: Document = {};
    for (let j = 0; j < i; j++) branch[sort[j]!.field] = key[j];
    branch[field.field] = { [field.order === 1 ? '$gt' : '$lt']: key[i] };
    return branch;
  });
  const first = sort[0]!;
  return {
    $and: [{ [first.field]: { [first.order === 1 ? '$gte' : '$lte']: key[0] } }, { $or: branches }],
  };
}

/** The `sort` option of a find, in the order of `sort`. */
export const sortSpec = (sort: readonly SortField[]): Record<string, 1 | -1> =>
  Object.fromEntries(sort.map((s) => [s.field, s.order]));

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
}

export interface PageQuery<T> {
  /** Names the list in its cursors. */
  list: string;
  filter: Filter<Document>;
  /** Must end with `_id`, so that the order is total and a key names one row. */
  sort: readonly SortField[];
  after?: string | undefined;
  limit: number;
  /** Reads a raw document into what the page holds (zod on read). */
  parse: (raw: Document) => T;
  projection?: Document;
  /** The index this list is served by, by name (declared in the module's manifest entry). */
  hint: string;
  /**
   * Leave the first page (no cursor, so no `$and`) to the planner: on SecantusDB 0.7 a hinted find
   * walks the whole index (README, API benchmark), and a plain equality filter is planned on the
   * right index without being told. Lists read on every visit (the notifications) set it.
   */
  unhintedFirstPage?: true;
}

/**
 * One page: a single indexed find of `limit + 1` rows (the one more says whether a next page
 * exists). `limit` is clamped to 1..1000 (routes set their own, lower maximum).
 */
export async function findPage<T>(collection: Collection<Document>, q: PageQuery<T>): Promise<Page<T>> {
  const last = q.sort.at(-1);
  if (last?.field !== '_id') throw new Error(`page of ${q.list}: the sort must end with _id`);
  const limit = Math.max(1, Math.min(Math.trunc(q.limit), 1000));
  const filter =
    q.after === undefined
      ? q.filter
      : { $and: [q.filter, keyRangeAfter(q.sort, decodeCursor(q.list, q.after, q.sort.length))] };
  const raws = await collection
    .find(filter, {
      sort: sortSpec(q.sort),
      limit: limit + 1,
      ...(q.after === undefined && q.unhintedFirstPage ? {} : { hint: q.hint }),
      ...(q.projection === undefined ? {} : { projection: q.projection }),
    })
    .toArray();
  const rows = raws.slice(0, limit);
  const lastRow = rows.at(-1);
  const next =
    raws.length > limit && lastRow !== undefined
      ? encodeCursor(
          q.list,
          q.sort.map((s) => valueAt(lastRow, s.field)),
        )
      : null;
  return { items: rows.map(q.parse), next };
}
