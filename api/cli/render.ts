// Human-readable output of the `charter` client: aligned tables for lists, indented fields for one
// object, and the failure report. Everything reads answers loosely (a missing field prints `-`),
// because the API may add fields, and a terminal is no place to crash over one.
import type { ApiFailure } from './http.js';

export type Row = Record<string, unknown>;

export interface Column {
  header: string;
  value: (row: Row) => unknown;
}

/** A loose field of an answer: `at(row, 'policy', 'name')`. */
export function at(row: unknown, ...path: string[]): unknown {
  let value = row;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Row)[key];
  }
  return value;
}

/** One cell or field: text as is, nothing as `-`, lists comma-separated, objects as JSON. */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cell).join(', ');
  return JSON.stringify(value);
}

/** `name v3`, from a policy summary or pin. */
export const policyLabel = (policy: unknown): string => {
  const name = at(policy, 'name');
  const version = at(policy, 'version');
  if (typeof name !== 'string') return cell(policy);
  return version === undefined ? name : `${name} v${cell(version)}`;
};

export function table(rows: readonly Row[], columns: readonly Column[]): string {
  const cells = rows.map((row) => columns.map((c) => oneLine(cell(c.value(row)))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n') + '\n';
}

/** `label: value` lines, nested objects indented, for a single object such as an instance. */
export function fields(value: unknown, indent = ''): string {
  if (typeof value !== 'object' || value === null) return `${indent}${cell(value)}\n`;
  let out = '';
  for (const [key, item] of Object.entries(value as Row)) {
    if (Array.isArray(item) && item.some((i) => typeof i === 'object' && i !== null)) {
      out += `${indent}${key}:\n`;
      for (const entry of item) {
        const nested = fields(entry, `${indent}    `);
        out += `${indent}  - ${nested.trimStart()}`;
      }
    } else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      out += `${indent}${key}:\n${fields(item, `${indent}  `)}`;
    } else {
      out += `${indent}${key}: ${oneLine(cell(item))}\n`;
    }
  }
  return out;
}

/** What a failed call prints: the code and message, then each field path with its problem. */
export function failureReport(failure: ApiFailure): string {
  const status = failure.status === 0 ? '' : ` (HTTP ${failure.status})`;
  let out = `charter: ${failure.code}${status}: ${failure.message}\n`;
  for (const p of failure.problems) out += `  ${p.path}: ${p.message}\n`;
  const diagnostics = failure.details['diagnostics'];
  if (Array.isArray(diagnostics)) {
    for (const d of diagnostics) {
      const where = `${cell(at(d, 'file'))}:${cell(at(d, 'line'))}:${cell(at(d, 'col'))}`;
      out += `  ${where}: ${cell(at(d, 'severity'))}[${cell(at(d, 'code'))}]: ${cell(at(d, 'message'))}\n`;
    }
  }
  const requestId = failure.details['requestId'];
  if (typeof requestId === 'string') out += `  (request ${requestId})\n`;
  return out;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');
