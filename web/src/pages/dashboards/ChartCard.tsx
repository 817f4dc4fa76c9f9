// One dashboard figure as people read it: a titled card with how fresh it is in words, the chart
// (a click on a bar, point or cell opens the matching list), the same figures as a table under
// "Show as a table" (the accessible version, with the drill-down as links in its rows, so all of it
// works from the keyboard) and a CSV download of exactly those rows. Loading, error and empty
// states are the card's own: one failing figure does not blank the page; a failure offers a retry,
// except a refused filter (422), which only a corrected filter fixes.
import { useId, type ReactNode } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { Link, navigate } from '../../app/router.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { type Cell, downloadCsv, toCsv } from './csv.js';
import { type ChartClick, EChart, type EChartsCoreOption } from './EChart.js';
import { freshnessText } from './filter.js';

/** A figure's data: the table's columns and rows, and the chart drawn from them. */
export interface Figure {
  columns: string[];
  rows: Cell[][];
  /** Per row, where its drill-down leads (null: nothing to open). */
  links?: (string | null)[];
  /** The row a clicked segment belongs to (default: the category index). */
  rowOfClick?: (click: ChartClick) => number | null;
  /** No chart: the table is the figure (waivers ending). */
  option: EChartsCoreOption | null;
  height?: number;
}

export interface FigureRead {
  /** The route's answer; its `asOf` says how fresh the figure is (absent: not a folded figure). */
  data: object | null;
  loading: boolean;
  error: ApiFailure | null;
  reload: () => Promise<void>;
}

interface Props {
  title: string;
  /** File name of the CSV, without `.csv`. */
  file: string;
  read: FigureRead;
  figure: Figure | null;
  /** What the empty state says. */
  empty: ReactNode;
  note?: ReactNode;
}

/** The answer's `asOf`, when it is a folded figure that has one. */
function asOfOf(data: object | null): string | null {
  const asOf: unknown = data !== null && 'asOf' in data ? data.asOf : null;
  return typeof asOf === 'string' ? asOf : null;
}

export function ChartCard({ title, file, read, figure, empty, note }: Props) {
  const id = useId();
  const asOf = asOfOf(read.data);
  const headingId = `${id}-title`;
  return (
    <section className="card dash-card" aria-labelledby={headingId}>
      <header className="dash-card-head">
        <h2 id={headingId}>{title}</h2>
        {asOf !== null ? <p className="dash-asof">{freshnessText(asOf, new Date())}</p> : null}
      </header>
      {note ? <p className="field-help">{note}</p> : null}
      <Body title={title} file={file} read={read} figure={figure} empty={empty} />
    </section>
  );
}

function Body({ title, file, read, figure, empty }: Omit<Props, 'note'>) {
  if (figure === null) {
    // A refused filter: the message is under the filter's field too, and trying the same filter
    // again cannot help, so the card points there instead of offering a retry.
    if (read.error?.status === 422)
      return (
        <p className="state state-refused">
          Not shown: the filter was refused (
          {read.error.problems.map((p) => p.message).join('; ') || read.error.message}). Correct it above.
        </p>
      );
    if (read.error)
      return (
        <ErrorNotice
          failure={read.error}
          title={`Could not load ${title.toLowerCase()}`}
          onRetry={() => void read.reload()}
        />
      );
    return <Loading what={title.toLowerCase()} />;
  }
  if (figure.rows.length === 0) return <Empty title="Nothing to show yet">{empty}</Empty>;
  const links = figure.links ?? [];
  const open = (click: ChartClick): void => {
    const row = figure.rowOfClick ? figure.rowOfClick(click) : click.dataIndex;
    const to = row === null ? null : links[row];
    if (to) navigate(to);
  };
  const hasLinks = links.some((l) => l !== null);
  return (
    <>
      {read.error ? (
        <p className="notice notice-warning" role="status">
          Could not refresh ({read.error.message}); showing what was loaded before.
        </p>
      ) : null}
      {figure.option ? (
        <EChart
          option={figure.option}
          label={`${title}: chart. The table below holds the same figures.`}
          height={figure.height ?? 280}
          {...(hasLinks ? { onClick: open } : {})}
        />
      ) : null}
      <FigureTable title={title} figure={figure} open={figure.option === null} />
      <div className="actions dash-actions">
        <button
          type="button"
          className="button button-quiet"
          onClick={() => downloadCsv(`${file}.csv`, toCsv(figure.columns, figure.rows))}
        >
          Download CSV<span className="visually-hidden"> of {title.toLowerCase()}</span>
        </button>
      </div>
    </>
  );
}

function FigureTable({ title, figure, open }: { title: string; figure: Figure; open: boolean }) {
  const links = figure.links ?? [];
  const hasLinks = links.some((l) => l !== null);
  const table = (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`${title}, table`}>
      <table className="data dash-table">
        <thead>
          <tr>
            {figure.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            {hasLinks ? <th scope="col">List</th> : null}
          </tr>
        </thead>
        <tbody>
          {figure.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j} className={typeof cell === 'number' ? 'num' : undefined}>
                  {cell}
                </td>
              ))}
              {hasLinks ? (
                <td>
                  {links[i] ? (
                    <Link to={links[i]}>
                      Open list<span className="visually-hidden"> for {row.slice(0, 2).join(', ')}</span>
                    </Link>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  if (open) return table;
  return (
    <details className="dash-details">
      <summary>Show as a table</summary>
      {table}
    </details>
  );
}
