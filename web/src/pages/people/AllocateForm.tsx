// Booking a person's hours on a project: the total hours are spread evenly over the weeks chosen.
// A preview comes first (POST …/allocations/preview changes nothing) and shows each week before and
// after; only a preview that fits can be booked, and the booking sends what was previewed. If
// someone took the hours in between, the API refuses with 409 and its sentence is shown as is.
import { type FormEvent, useId, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { api, idempotencyKey, type paths, unwrap, asFailure } from '../../api-client/client.js';
import { ErrorNotice } from '../../components/states.js';
import { hours, weekDates } from './weeks.js';

type Body =
  paths['/v1/resources/people/{person}/allocations']['post']['requestBody']['content']['application/json'];
type Answer =
  paths['/v1/resources/people/{person}/allocations/preview']['post']['responses']['200']['content']['application/json'];
type Priority = NonNullable<Body['priority']>;

interface Draft {
  project: string;
  hours: string;
  from: string;
  to: string;
  priority: Priority;
}

interface Previewed {
  body: Body;
  answer: Answer;
  /** Sent with the booking: a second click, or a retry, books once. */
  key: string;
}

const FIELDS = ['project', 'hours', 'from', 'to'] as const;

export function AllocateForm({
  person,
  week,
  onBooked,
}: {
  person: string;
  week: string;
  onBooked: () => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>({
    project: '',
    hours: '',
    from: week,
    to: week,
    priority: 'normal',
  });
  const [previewed, setPreviewed] = useState<Previewed | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<string | null>(null);

  const set = (name: keyof Draft) => (value: string) => {
    setDraft((d) => ({ ...d, [name]: value }));
    setPreviewed(null);
    setBooked(null);
  };
  const problemOf = (name: string): string | undefined =>
    failure?.status === 422 ? failure.problemsUnder(`body.${name}`)[0]?.message : undefined;

  const preview = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const body: Body = {
      project: draft.project.trim(),
      hours: Number(draft.hours.trim() === '' ? Number.NaN : draft.hours.replace(',', '.')),
      from: draft.from.trim(),
      to: draft.to.trim(),
      priority: draft.priority,
    };
    setBusy(true);
    setFailure(null);
    setBooked(null);
    try {
      const answer = await unwrap(
        api.POST('/v1/resources/people/{person}/allocations/preview', { params: { path: { person } }, body }),
      );
      setPreviewed({ body, answer, key: idempotencyKey() });
    } catch (error) {
      setPreviewed(null);
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const book = async (): Promise<void> => {
    if (previewed === null) return;
    setBusy(true);
    setFailure(null);
    try {
      const answer = await unwrap(
        api.POST('/v1/resources/people/{person}/allocations', {
          params: { path: { person }, header: { 'Idempotency-Key': previewed.key } },
          body: previewed.body,
        }),
      );
      const { body } = previewed;
      setBooked(
        `Booked ${hours(body.hours)} on ${answer.project} for ${body.from === body.to ? body.from : `${body.from} to ${body.to}`}.`,
      );
      setPreviewed(null);
      setDraft((d) => ({ ...d, project: '', hours: '' }));
      onBooked();
    } catch (error) {
      const failed = asFailure(error);
      setFailure(failed);
      // The weeks changed under the preview: it no longer says what booking would do.
      if (failed.status === 409) setPreviewed(null);
    } finally {
      setBusy(false);
    }
  };

  const fieldProblems = FIELDS.some((f) => problemOf(f) !== undefined);
  const input = (
    name: (typeof FIELDS)[number],
    label: string,
    attrs: { type: string; inputMode?: 'decimal' },
    help?: string,
  ) => {
    const problem = problemOf(name);
    const described = [help ? `${id}-${name}-help` : '', problem ? `${id}-${name}-problem` : '']
      .join(' ')
      .trim();
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        <input
          id={`${id}-${name}`}
          name={name}
          autoComplete="off"
          value={draft[name]}
          onChange={(e) => set(name)(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={described || undefined}
          {...attrs}
        />
        {help ? (
          <p className="field-help" id={`${id}-${name}-help`}>
            {help}
          </p>
        ) : null}
        {problem ? (
          <p className="field-problem" id={`${id}-${name}-problem`}>
            {problem}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <section className="card people-allocate" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Allocate to a project</h2>
      <form onSubmit={(e) => void preview(e)} noValidate>
        <div className="people-allocate-fields">
          {input('project', 'Project', { type: 'text' })}
          {input(
            'hours',
            'Hours in total',
            { type: 'text', inputMode: 'decimal' },
            'Spread evenly over the weeks',
          )}
          {input('from', 'From week', { type: 'week' })}
          {input('to', 'To week', { type: 'week' }, 'Included')}
          <div className="field">
            <label htmlFor={`${id}-priority`}>Priority</label>
            <select
              id={`${id}-priority`}
              value={draft.priority}
              onChange={(e) => set('priority')(e.target.value)}
            >
              <option value="low">low</option>
              <option value="normal">normal</option>
              <option value="high">high</option>
            </select>
          </div>
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy && previewed === null ? 'Previewing…' : 'Preview'}
        </button>
      </form>
      <div aria-live="polite">
        {booked ? (
          <p className="notice notice-ok" role="status">
            {booked}
          </p>
        ) : null}
        {failure?.code === 'insufficient-capacity' ? (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">Not booked: not enough free hours</p>
            <p>
              {failure.message} <code className="code-tag">{failure.code}</code>
            </p>
            <p>Nothing was booked. Preview again to see the weeks as they are now.</p>
          </div>
        ) : failure && !fieldProblems ? (
          <ErrorNotice failure={failure} title="Could not allocate" />
        ) : null}
        {previewed ? <Preview previewed={previewed} busy={busy} onBook={() => void book()} /> : null}
      </div>
    </section>
  );
}

function Preview({ previewed, busy, onBook }: { previewed: Previewed; busy: boolean; onBook: () => void }) {
  const { answer, body } = previewed;
  const fits = answer.outcome === 'allocated';
  return (
    <div className="people-preview">
      <h3>Preview: {fits ? 'it fits' : 'it does not fit'}</h3>
      <p className={fits ? 'notice notice-ok' : 'notice notice-warning'}>{answer.detail}</p>
      <div className="table-wrap">
        <table className="data stack-table">
          <caption className="visually-hidden">Each week before and after the allocation</caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col">Adds</th>
              <th scope="col">Free before → after</th>
              <th scope="col">Load before → after</th>
              <th scope="col">Fits?</th>
            </tr>
          </thead>
          <tbody>
            {answer.weeks.map((w) => (
              <tr key={w.week}>
                <th scope="row" data-label="Week">
                  {w.week} <span className="people-week-dates">{weekDates(w.week)}</span>
                </th>
                <td data-label="Adds">{hours(w.hours)}</td>
                <td data-label="Free before → after">
                  {hours(w.freeBefore)} → {hours(w.freeAfter)}{' '}
                  <span className="muted">of {hours(w.capacity)}</span>
                </td>
                <td data-label="Load before → after">
                  {w.utilisationBefore} % → {w.utilisationAfter} %
                </td>
                <td data-label="Fits?">{w.short > 0 ? <strong>Short by {hours(w.short)}</strong> : 'Yes'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {fits ? (
        <p className="actions">
          <button type="button" className="button button-primary" disabled={busy} onClick={onBook}>
            {busy ? 'Booking…' : `Book ${hours(body.hours)} on ${body.project}`}
          </button>
        </p>
      ) : (
        <p>Change the hours or the weeks, or ask an admin to raise the capacity, then preview again.</p>
      )}
    </div>
  );
}
