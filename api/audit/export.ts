// The ledger as a file an auditor keeps: CSV (RFC 4180: CRLF rows, fields with commas, quotes or
// line breaks quoted, quotes doubled) or JSON Lines. Written page by page through the ledger's
// cursor, waiting for the socket to drain, so an export of millions of events holds one page in
// memory. Every hashed field travels (reasons and span as JSON in CSV), with prevHash and hash, so
// the chain can be re-verified offline from the file alone. `inputSha256` is hashed only where an
// event has one (`started`): an empty CSV field, or no JSON member, means the event has none. The
// same goes for `fact` (JSON in CSV), absent on events written before the machine recorded facts.
import type { Response } from 'express';
import type { AuditEvent, AuditFilter, Store } from '../../store/index.js';

export type ExportFormat = 'csv' | 'jsonl';

export const EXPORT_PAGE = 500;

export const CSV_COLUMNS = [
  'id',
  'chain',
  'seq',
  'at',
  'type',
  'instanceId',
  'process',
  'project',
  'policyName',
  'policyVersion',
  'policySha256',
  'step',
  'actor',
  'onBehalfOf',
  'outcome',
  'text',
  'reasons',
  'span',
  'inputSha256',
  'fact',
  'prevHash',
  'hash',
] as const;

/** One CSV field: quoted when it must be, null as an empty field. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(e: AuditEvent): string {
  const values: (string | number | null)[] = [
    e.id,
    e.chain,
    e.seq,
    e.at.toISOString(),
    e.type,
    e.instanceId,
    e.process,
    e.project,
    e.policy.name,
    e.policy.version,
    e.policy.sha256,
    e.step,
    e.actor,
    e.onBehalfOf,
    e.outcome,
    e.text,
    JSON.stringify(e.reasons),
    e.span === null ? null : JSON.stringify(e.span),
    e.inputSha256 ?? null,
    e.fact === undefined ? null : JSON.stringify(e.fact),
    e.prevHash,
    e.hash,
  ];
  return `${values.map(csvField).join(',')}\r\n`;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

/** Resolves once the socket can take more, or it closed (the client went away). */
export function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams every event matching `filter`. The first page is read before the headers go out, so a
 * failure there is still an ordinary error answer; a later failure cuts the body off (the error
 * handler destroys the socket), which a client sees as an incomplete download, never as a
 * complete-looking file.
 */
export async function streamAuditExport(
  store: Store,
  filter: AuditFilter,
  format: ExportFormat,
  res: Response,
  now: Date,
): Promise<void> {
  let page = await store.audit.query(filter, { limit: EXPORT_PAGE });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  res.status(200);
  res.set({
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="charter-audit-${stamp}.${format}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (format === 'csv') res.write(`${CSV_COLUMNS.join(',')}\r\n`);
  for (;;) {
    const chunk = page.events
      .map((event) => (format === 'csv' ? csvRow(event) : `${JSON.stringify(event)}\n`))
      .join('');
    if (chunk !== '' && !res.write(chunk)) await drained(res);
    if (res.destroyed || page.next === null) break;
    page = await store.audit.query(filter, { after: page.next, limit: EXPORT_PAGE });
  }
  res.end();
}
