// Recording an absence (PUT /v1/directory/people/{id}/out-of-office): the days away, and who
// decides meanwhile. Only the person themself or an admin may (api/directory/delegations.ts), so
// the form shows for them alone. Days are typed in the browser's time zone and sent as the
// midnights that start them: "back on 10 March" ends the absence as 10 March begins here.
// One absence per person: saving replaces it; ending it (back early, trip cancelled) deletes it
// with its stand-in.
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { api, unwrap, asFailure } from '../../api-client/client.js';
import { PersonPicker } from '../../components/PersonPicker.js';
import { ErrorNotice } from '../../components/states.js';
import { localTimeZone, phaseOf, startOfDay, toDateInput } from './show.js';
import type { Person } from './Directory.js';

type Absence = NonNullable<Person['outOfOffice']>;

const DAY_MS = 24 * 3600 * 1000;

export function OutOfOfficeForm({
  person,
  absence,
  onSaved,
}: {
  person: string;
  absence: Absence | null;
  onSaved: () => void;
}) {
  const id = useId();
  const current =
    absence !== null && phaseOf({ start: absence.from, end: absence.to }) !== 'over' ? absence : null;
  const [from, setFrom] = useState(current ? toDateInput(new Date(current.from)) : toDateInput(new Date()));
  const [back, setBack] = useState(
    current ? toDateInput(new Date(current.to)) : toDateInput(new Date(Date.now() + 7 * DAY_MS)),
  );
  const [delegate, setDelegate] = useState(current?.delegate ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const send = async (body: { from: string; to: string; delegate: string | null } | null, done: string) => {
    setBusy(true);
    setFailure(null);
    setSaved(null);
    try {
      const path = { params: { path: { id: person } } };
      if (body === null) await unwrap(api.DELETE('/v1/directory/people/{id}/out-of-office', path));
      else await unwrap(api.PUT('/v1/directory/people/{id}/out-of-office', { ...path, body }));
      setSaved(done);
      onSaved();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const stand = delegate.trim();
    void send(
      { from: startOfDay(from), to: startOfDay(back), delegate: stand === '' ? null : stand },
      'The absence is saved.',
    );
  };

  const endNow = (): void => {
    if (current === null) return;
    const ongoing = phaseOf({ start: current.from, end: current.to }) === 'now';
    void send(null, ongoing ? 'The absence has ended.' : 'The absence is cancelled.');
  };

  const problem = (name: string): string | undefined => failure?.problemsUnder(`body.${name}`)[0]?.message;
  const shown = ['from', 'to', 'delegate'].some((n) => problem(n) !== undefined);
  const field = (
    name: 'from' | 'to' | 'delegate',
    label: string,
    control: (described: string | undefined, invalid: boolean) => ReactNode,
    help?: string,
  ) => {
    const p = problem(name);
    const described =
      [help ? `${id}-${name}-help` : '', p ? `${id}-${name}-problem` : ''].join(' ').trim() || undefined;
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        {control(described, p !== undefined)}
        {help ? (
          <p className="field-help" id={`${id}-${name}-help`}>
            {help}
          </p>
        ) : null}
        {p ? (
          <p className="field-problem" id={`${id}-${name}-problem`}>
            {p}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form className="people-absence" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{current ? 'Change the absence' : 'Record an absence'}</h3>
      <div className="people-absence-fields">
        {field(
          'from',
          'Away from',
          (described, invalid) => (
            <input
              id={`${id}-from`}
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-describedby={described}
              aria-invalid={invalid ? true : undefined}
            />
          ),
          `From the start of this day (${localTimeZone()})`,
        )}
        {field(
          'to',
          'Back on',
          (described, invalid) => (
            <input
              id={`${id}-to`}
              type="date"
              value={back}
              onChange={(e) => setBack(e.target.value)}
              aria-describedby={described}
              aria-invalid={invalid ? true : undefined}
            />
          ),
          'The first day back; at most a year after the first day away',
        )}
        {field(
          'delegate',
          'Stand-in',
          (described, invalid) => (
            <PersonPicker
              id={`${id}-delegate`}
              value={delegate}
              onChange={setDelegate}
              invalid={invalid}
              {...(described === undefined ? {} : { describedBy: described })}
            />
          ),
          'Decides in their place meanwhile; leave empty for nobody',
        )}
      </div>
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save the absence'}
        </button>
        {current ? (
          <button type="button" className="button" disabled={busy} onClick={endNow}>
            {phaseOf({ start: current.from, end: current.to }) === 'now'
              ? 'End the absence now'
              : 'Cancel the absence'}
          </button>
        ) : null}
      </p>
      <div aria-live="polite">
        {saved ? <p className="notice notice-ok">{saved}</p> : null}
        {failure && !shown ? <ErrorNotice failure={failure} title="Could not save the absence" /> : null}
      </div>
    </form>
  );
}
