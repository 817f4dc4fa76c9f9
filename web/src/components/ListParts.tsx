// The parts of lists whose rows come a page at a time (app/paged-list.ts). Every such list shows
// the same states before its rows: could not load (with a retry), loading, and empty (ListRows);
// a section of a page (a project's instances, allocations, changes) is a card with its heading,
// the rows and "Load more" (PagedSection). A list screen whose filters live in the URL (the
// portfolio, the findings) adds the filter form with "Apply filters" (typed filters apply on it;
// menus apply when chosen) and "Clear filters", a text filter with the API's problem under it, and
// the polite count of the rows shown. Each list keeps its own fields, rows and words.
import { type FormEvent, type ReactNode, useId } from 'react';
import type { PagedList } from '../app/paged-list.js';
import { navigate } from '../app/router.js';
import { LoadMore } from './LoadMore.js';
import { ErrorNotice, Loading } from './states.js';

/** The filter card: the fields, then "Apply filters", and "Clear filters" (back to `clearTo`) once filtered. */
export function FilterForm({
  label,
  filtered,
  clearTo,
  onSubmit,
  children,
}: {
  /** The form's name for screen readers: "Filter the projects". */
  label: string;
  filtered: boolean;
  clearTo: string;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
}) {
  return (
    <form className="card portfolio-filters" aria-label={label} onSubmit={onSubmit}>
      <div className="portfolio-filter-fields">{children}</div>
      <p className="actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        {filtered ? (
          <button type="button" className="button button-quiet" onClick={() => navigate(clearTo)}>
            Clear filters
          </button>
        ) : null}
      </p>
    </form>
  );
}

/** A typed filter (a code, an e-mail, a tag), with the API's problem with it under it. */
export function FilterText(props: {
  id: string;
  label: string;
  value: string;
  problem: string | undefined;
  onChange: (value: string) => void;
}) {
  const { id, label, value, problem, onChange } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem ? (
        <p className="field-problem" id={`${id}-problem`}>
          {problem}
        </p>
      ) : null}
    </div>
  );
}

/** "Showing 25 projects; there are more", announced as it changes; empty until the first page. */
export function ListCount({ list, one, many }: { list: PagedList<unknown>; one: string; many: string }) {
  return (
    <p role="status" aria-live="polite" className="portfolio-count">
      {list.first.data === null
        ? ''
        : `Showing ${list.items.length} ${list.items.length === 1 ? one : many}${list.hasMore ? '; there are more' : ''}`}
    </p>
  );
}

/**
 * The list's rows (`children`), or what stands in for them: the first page's failure with a
 * retry, loading, or `empty` when no row matches. `what` names the rows: "the projects".
 */
export function ListRows<T>({
  list,
  what,
  empty,
  children,
}: {
  list: PagedList<T>;
  what: string;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  const { first, items } = list;
  if (first.data === null && first.error) {
    return (
      <ErrorNotice
        failure={first.error}
        title={`Could not load ${what}`}
        onRetry={() => void first.reload()}
      />
    );
  }
  if (first.data === null) return <Loading what={what} />;
  if (items.length === 0) return <>{empty}</>;
  return <>{children(items)}</>;
}

/**
 * A card of a page listing `what` (plural: "instances") a page at a time: its heading, a line
 * under it if any, the rows or their state, and "Load more".
 */
export function PagedSection<T>({
  title,
  what,
  list,
  intro,
  empty,
  children,
}: {
  title: string;
  what: string;
  list: PagedList<T>;
  intro?: ReactNode;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro}
      <ListRows list={list} what={`the ${what}`} empty={empty}>
        {children}
      </ListRows>
      <LoadMore list={list} what={what} />
    </section>
  );
}
