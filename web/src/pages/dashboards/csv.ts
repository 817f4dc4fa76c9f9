// A figure's data as the CSV a spreadsheet opens (RFC 4180: CRLF line ends, a field with a comma,
// quote or line break in double quotes, quotes doubled), downloaded from a Blob: exactly the rows
// and columns the chart and its table show, nothing fetched again.

export type Cell = string | number;

const field = (cell: Cell): string => {
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The header and the rows as RFC 4180 text. */
export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [columns, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** Saves `csv` as `name` through a temporary object URL (no server round trip). */
export function downloadCsv(name: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the file to the browser's download.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}
