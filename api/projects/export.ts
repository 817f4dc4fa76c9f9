// The portfolio as a CSV download (GET /v1/projects/export): every project the list's filters
// match, by code, in the columns the import reads back (csv.ts), so that an exported file imported
// again changes nothing. Read page by page through the list's key-range cursor and piped into the
// response, which waits for the socket to drain: a big portfolio holds one page in memory.
//
// The first page is read before the headers go out, so a failure there is an ordinary error
// answer; a later failure cuts the body off (the error handler destroys the socket), which a client
// sees as an incomplete download, never as a complete-looking file (as the audit export does).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { Store } from '../../store/index.js';
import type { ProjectFilter } from '../../store/projects.js';
import { CSV_HEADER, projectCsvRow } from './csv.js';

export const EXPORT_PAGE = 500;

/** The error a pipeline ends with when the client goes away mid-download. */
const isPrematureClose = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  'code' in error &&
  error.code === 'ERR_STREAM_PREMATURE_CLOSE';

export async function streamProjectsCsv(
  store: Store,
  filter: ProjectFilter,
  res: Response,
  now: Date,
): Promise<void> {
  const first = await store.projects.page(filter, null, EXPORT_PAGE);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  res.status(200);
  res.set({
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="charter-projects-${stamp}.csv"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  async function* chunks(): AsyncGenerator<string> {
    yield CSV_HEADER;
    for (let page = first; ;) {
      if (page.items.length > 0) yield page.items.map(projectCsvRow).join('');
      if (page.nextCursor === null) return;
      page = await store.projects.page(filter, page.nextCursor, EXPORT_PAGE);
    }
  }
  try {
    await pipeline(Readable.from(chunks()), res);
  } catch (error) {
    // The client went away: nobody is left to answer, and nothing failed on this side.
    if (res.destroyed && isPrematureClose(error)) return;
    throw error;
  }
}
