// A person's weeks as a planner reads them: for each ISO week, the hours booked against the hours
// they have, as numbers and as a bar, with the projects that hold the hours; over-allocation and
// a full week are said in words, not only in colour. The weeks shown are chosen with two week
// fields or stepped earlier and later; the range lives in the URL, like every screen's filter.
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { FieldProblem } from '../../api-client/failure.js';
import type { paths } from '../../api-client/client.js';
import type { LiveRead } from '../../app/live.js';
import { Loaded } from '../../components/states.js';
import { hours, isIsoWeek, weekDates, weekPlus, weeksSpanned } from './weeks.js';

export type PersonWeeks =
  paths['/v1/resources/people/{person}']['get']['responses']['200']['content']['application/json'];
type Week = PersonWeeks['weeks'][number];

export interface WeekRange {
  from: string;
  to: string;
}

/** What a week's load means, in words (the bar's colour only repeats it). */
function loadOf(w: Week): { text: string; tone: 'over' | 'full' | 'none' | 'ok' } {
  if (w.allocated > w.capacity)
    return { text: `Over-allocated by ${hours(w.allocated - w.capacity)}`, tone: 'over' };
  if (w.capacity === 0) return { text: 'No capacity set', tone: 'none' };
  if (w.free <= 0) return { text: 'Fully booked', tone: 'full' };
  return { text: `${hours(w.free)} free`, tone: 'ok' };
}

const percentOf = (w: Week): number =>
  w.capacity > 0 ? Math.round((w.allocated / w.capacity) * 100) : w.allocated > 0 ? 100 : 0;

interface Props {
  person: string;
  range: WeekRange;
  read: LiveRead<PersonWeeks>;
  onRange: (range: WeekRange) => void;
}

export function Capacity({ person, range, read, onRange }: Props) {
  const span = Math.max(1, weeksSpanned(range.from, range.to));
  const problems = read.error?.status === 422 ? read.error.problemsUnder('query') : [];
  return (
    <section className="card" aria-labelledby="capacity-title">
      <h2 id="capacity-title">Capacity and allocations</h2>
      <RangeForm range={range} problems={problems} onRange={onRange} />
      <p className="actions people-step">
        <button
          type="button"
          className="button"
          onClick={() => onRange({ from: weekPlus(range.from, -span), to: weekPlus(range.to, -span) })}
        >
          Earlier {span} {span === 1 ? 'week' : 'weeks'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => onRange({ from: weekPlus(range.from, span), to: weekPlus(range.to, span) })}
        >
          Later {span} {span === 1 ? 'week' : 'weeks'}
        </button>
      </p>
      <Loaded read={read} what={`the weeks of ${person}`}>
        {(data) => (
          <>
            <WeeksTable weeks={data.weeks} />
            <h3>Projects in these weeks</h3>
            {data.projects.length === 0 ? (
              <p className="muted">No hours are allocated to any project in these weeks.</p>
            ) : (
              <ul className="people-projects">
                {data.projects.map((p) => (
                  <li key={p.project}>
                    <strong>{p.project}</strong>: {hours(p.hours)}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function RangeForm({
  range,
  problems,
  onRange,
}: {
  range: WeekRange;
  problems: FieldProblem[];
  onRange: Props['onRange'];
}) {
  const id = useId();
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  useEffect(() => {
    setFrom(range.from);
    setTo(range.to);
  }, [range.from, range.to]);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onRange({ from: from.trim(), to: to.trim() });
  };
  const problemOf = (name: string) => problems.find((p) => p.path === name)?.message;
  const weekField = (name: 'from' | 'to', label: string, value: string, set: (v: string) => void) => {
    const problem =
      problemOf(name) ??
      (value !== '' && !isIsoWeek(value) ? 'expected an ISO week like 2027-W03' : undefined);
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        <input
          id={`${id}-${name}`}
          type="week"
          value={value}
          onChange={(e) => set(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-${name}-problem` : `${id}-help`}
        />
        {problem ? (
          <p className="field-problem" id={`${id}-${name}-problem`}>
            {problem}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <form className="people-range" onSubmit={submit} aria-label="Weeks shown" noValidate>
      {weekField('from', 'From week', from, setFrom)}
      {weekField('to', 'To week', to, setTo)}
      <div className="field people-range-go">
        <button type="submit" className="button">
          Show these weeks
        </button>
      </div>
      <p className="field-help" id={`${id}-help`}>
        ISO weeks, both included (2027-W03 is the third week of 2027).
      </p>
    </form>
  );
}

function WeeksTable({ weeks }: { weeks: Week[] }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table people-weeks">
        <caption className="visually-hidden">Hours booked and capacity per week</caption>
        <thead>
          <tr>
            <th scope="col">Week</th>
            <th scope="col">Booked / capacity</th>
            <th scope="col">Load</th>
            <th scope="col">Projects</th>
          </tr>
        </thead>
        <tbody>
          {weeks.map((w) => {
            const load = loadOf(w);
            const percent = percentOf(w);
            return (
              <tr key={w.week} className={`people-week people-week-${load.tone}`}>
                <th scope="row" data-label="Week">
                  {w.week}
                  <span className="people-week-dates">{weekDates(w.week)}</span>
                </th>
                <td data-label="Booked / capacity" className="people-hours">
                  {hours(w.allocated)} / {hours(w.capacity)}
                </td>
                <td data-label="Load">
                  <div className="load">
                    <div className="load-bar" aria-hidden="true">
                      <span style={{ width: `${Math.min(100, percent)}%` }} />
                    </div>
                    <span className="load-text">
                      {w.capacity > 0 ? `${percent} % booked · ` : ''}
                      {load.tone === 'over' ? <strong>{load.text}</strong> : load.text}
                    </span>
                  </div>
                </td>
                <td data-label="Projects">
                  {w.projects.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    w.projects.map((p) => `${p.project} ${hours(p.hours)}`).join(', ')
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
