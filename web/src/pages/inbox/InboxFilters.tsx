// The inbox's filter and sort bar: kind, policy, project and deadline (overdue, today, this week,
// each with its count), and the order. The menus offer only what occurs in the inbox, so a filter
// never empties the list by a value nobody has.
import { useId } from 'react';
import {
  type DueFilter,
  type FilterChoices,
  type Filters,
  KIND_LABEL,
  NO_FILTERS,
  NO_PROJECT,
  type SortKey,
  type TaskKind,
} from './inbox-data.js';

const DUE_LABEL: Record<DueFilter, string> = {
  any: 'Any deadline',
  overdue: 'Overdue',
  today: 'Due today',
  week: 'Due this week',
};

const SORT_LABEL: Record<SortKey, string> = {
  due: 'Deadline, soonest first',
  'opened-oldest': 'Opened, oldest first',
  'opened-newest': 'Opened, newest first',
  title: 'Title, A to Z',
};

interface InboxFiltersProps {
  filters: Filters;
  choices: FilterChoices;
  onChange: (filters: Filters) => void;
}

export function InboxFilters({ filters, choices, onChange }: InboxFiltersProps) {
  const id = useId();
  const set = <K extends keyof Filters>(key: K, value: Filters[K]): void =>
    onChange({ ...filters, [key]: value });
  const filtered =
    filters.kind !== '' || filters.policy !== '' || filters.project !== '' || filters.due !== 'any';
  return (
    <form className="inbox-filters" aria-label="Filter and sort" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-due`}>Deadline</label>
        <select
          id={`${id}-due`}
          value={filters.due}
          onChange={(e) => set('due', e.target.value as DueFilter)}
        >
          {(Object.keys(DUE_LABEL) as DueFilter[]).map((d) => (
            <option key={d} value={d}>
              {DUE_LABEL[d]} ({choices.dueCounts[d]})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-kind`}>Kind</label>
        <select
          id={`${id}-kind`}
          value={filters.kind}
          onChange={(e) => set('kind', e.target.value as TaskKind | '')}
        >
          <option value="">All kinds</option>
          {(Object.keys(KIND_LABEL) as TaskKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-policy`}>Policy</label>
        <select id={`${id}-policy`} value={filters.policy} onChange={(e) => set('policy', e.target.value)}>
          <option value="">All policies</option>
          {choices.policies.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-project`}>Project</label>
        <select id={`${id}-project`} value={filters.project} onChange={(e) => set('project', e.target.value)}>
          <option value="">All projects</option>
          {choices.projects.map((p) => (
            <option key={p} value={p}>
              {p === NO_PROJECT ? 'No project' : p}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-sort`}>Sort by</label>
        <select
          id={`${id}-sort`}
          value={filters.sort}
          onChange={(e) => set('sort', e.target.value as SortKey)}
        >
          {(Object.keys(SORT_LABEL) as SortKey[]).map((s) => (
            <option key={s} value={s}>
              {SORT_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      {filtered ? (
        <button
          type="button"
          className="button button-quiet inbox-clear"
          onClick={() => onChange({ ...NO_FILTERS, sort: filters.sort })}
        >
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
