// The ledger search: the fields of GET /v1/audit/events. What is typed stays a draft until
// "Search"; then it goes into the URL (replacing the entry, so the back button leaves the screen
// rather than stepping through searches). A field the API refused shows the API's message right
// under it (422 at `query.from`, `query.to`, …).
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { FACT_KINDS } from '../../../../engine/facts/index.js';
import type { FieldProblem } from '../../api-client/failure.js';
import { PersonPicker } from '../../components/PersonPicker.js';
import {
  type AuditFilter,
  type FilterKey,
  fromLocalInput,
  localTimeZone,
  queryOf,
  toLocalInput,
} from './filter.js';

const TYPES: { value: string; label: string }[] = [
  { value: '', label: 'Any type' },
  { value: 'started', label: 'started: an instance began' },
  { value: 'decision', label: 'decision: the process decided' },
  { value: 'action', label: 'action: a person acted' },
  { value: 'refused', label: 'refused: an attempt was refused' },
  { value: 'ended', label: 'ended: an instance ended' },
];

const OUTCOMES = ['approved', 'rejected', 'cancelled', 'excluded', 'already-decided', 'task-closed'];

/** Fields that take a whole row on a phone: long ids, and times the browser draws wide. */
const WIDE = new Set<FilterKey>(['instance', 'actor', 'type', 'fact', 'outcome', 'from', 'to']);

/** Times take two columns everywhere: the browser draws their inputs wide. */
const fieldClass = (name: FilterKey): string =>
  [
    'field',
    WIDE.has(name) ? 'audit-field-wide' : '',
    name === 'from' || name === 'to' ? 'audit-field-time' : '',
  ]
    .filter(Boolean)
    .join(' ');

type Draft = Record<FilterKey, string>;

function draftOf(filter: AuditFilter): Draft {
  return {
    instance: filter.instance ?? '',
    project: filter.project ?? '',
    policy: filter.policy ?? '',
    version: filter.version ?? '',
    process: filter.process ?? '',
    step: filter.step ?? '',
    fact: filter.fact ?? '',
    actor: filter.actor ?? '',
    type: filter.type ?? '',
    outcome: filter.outcome ?? '',
    from: toLocalInput(filter.from),
    to: toLocalInput(filter.to),
  };
}

function filterOfDraft(draft: Draft): AuditFilter {
  const filter: AuditFilter = {};
  for (const [key, value] of Object.entries(draft) as [FilterKey, string][]) {
    const v = key === 'from' || key === 'to' ? fromLocalInput(value) : value.trim();
    if (v) filter[key] = v;
  }
  return filter;
}

interface Props {
  filter: AuditFilter;
  /** Problems the API found in the current filter, by query name (`from`, `to`, …). */
  problems: readonly FieldProblem[];
  onApply: (filter: AuditFilter) => void;
}

export function AuditFilterForm({ filter, problems, onApply }: Props) {
  const id = useId();
  const key = queryOf(filter);
  const [draft, setDraft] = useState<Draft>(() => draftOf(filter));
  // A search chosen elsewhere (a link, "remove the period") replaces what was typed.
  useEffect(() => {
    setDraft(draftOf(filter));
    // Only a new search resets the draft: `filter` is a new object on every render.
  }, [key]);

  const set = (name: FilterKey) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const problemOf = (name: FilterKey): string | undefined =>
    problems
      .filter((p) => p.path === name)
      .map((p) => p.message)
      .join('; ') || undefined;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onApply(filterOfDraft(draft));
  };

  const field = (
    name: FilterKey,
    label: string,
    control: (attrs: ControlAttrs) => ReactNode,
    help?: string,
  ) => {
    const problem = problemOf(name);
    const controlId = `${id}-${name}`;
    const described = [help ? `${controlId}-help` : null, problem ? `${controlId}-problem` : null]
      .filter(Boolean)
      .join(' ');
    return (
      <div className={fieldClass(name)} key={name}>
        <label htmlFor={controlId}>{label}</label>
        {control({
          id: controlId,
          value: draft[name],
          invalid: problem !== undefined,
          describedBy: described || undefined,
        })}
        {help ? (
          <p className="field-help" id={`${controlId}-help`}>
            {help}
          </p>
        ) : null}
        {problem ? (
          <p className="field-problem" id={`${controlId}-problem`}>
            {problem}
          </p>
        ) : null}
      </div>
    );
  };

  const text =
    (name: FilterKey, extra: { list?: string; inputMode?: 'numeric' } = {}) =>
    (a: ControlAttrs) => (
      <input
        id={a.id}
        name={name}
        type="text"
        autoComplete="off"
        spellCheck={false}
        value={a.value}
        onChange={(e) => set(name)(e.target.value)}
        aria-invalid={a.invalid ? true : undefined}
        aria-describedby={a.describedBy}
        {...extra}
      />
    );

  const time = (name: 'from' | 'to') => (a: ControlAttrs) => (
    <input
      id={a.id}
      name={name}
      type="datetime-local"
      value={a.value}
      onChange={(e) => set(name)(e.target.value)}
      aria-invalid={a.invalid ? true : undefined}
      aria-describedby={a.describedBy}
    />
  );

  const zone = localTimeZone();
  return (
    <form
      className="card audit-filter"
      role="search"
      aria-label="Search the ledger"
      onSubmit={submit}
      noValidate
    >
      <div className="audit-filter-fields">
        {field('instance', 'Instance', text('instance'))}
        {field('project', 'Project', text('project'))}
        {field('policy', 'Policy', text('policy'))}
        {field('version', 'Policy version', text('version', { inputMode: 'numeric' }))}
        {field('process', 'Process', text('process'))}
        {field('step', 'Step', text('step'))}
        {field('actor', 'Actor', (a) => (
          <PersonPicker
            id={a.id}
            value={a.value}
            onChange={set('actor')}
            invalid={a.invalid}
            {...(a.describedBy === undefined ? {} : { describedBy: a.describedBy })}
          />
        ))}
        {field('type', 'Type', (a) => (
          <select
            id={a.id}
            name="type"
            value={a.value}
            onChange={(e) => set('type')(e.target.value)}
            aria-invalid={a.invalid ? true : undefined}
            aria-describedby={a.describedBy}
          >
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        ))}
        {field(
          'outcome',
          'Outcome',
          text('outcome', { list: `${id}-outcomes` }),
          'How it ended, or why an attempt was refused',
        )}
        {field(
          'fact',
          'Fact',
          text('fact', { list: `${id}-facts` }),
          'What the event establishes: vote, approvalTimedOut, checkFailed, …',
        )}
        {field('from', 'From', time('from'), `Included; your time zone (${zone})`)}
        {field('to', 'Until', time('to'), `Not included; your time zone (${zone})`)}
      </div>
      <datalist id={`${id}-facts`}>
        {[...FACT_KINDS].sort().map((kind) => (
          <option key={kind} value={kind} />
        ))}
      </datalist>
      <datalist id={`${id}-outcomes`}>
        {OUTCOMES.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <div className="actions">
        <button type="submit" className="button button-primary">
          Search
        </button>
        <button
          type="button"
          className="button"
          onClick={() => onApply({})}
          disabled={key === '' && Object.values(draft).every((v) => v === '')}
        >
          Clear the filter
        </button>
      </div>
    </form>
  );
}

interface ControlAttrs {
  id: string;
  value: string;
  invalid: boolean;
  describedBy: string | undefined;
}
