// "Record a completion", for the PMO and admins (POST /v1/qualifications/{id}/completions): who
// completed it (an active person of the directory, picked by name), on which day (today or
// before) and what shows it. The API's refusal is listed at the top, each problem linked to its
// field, and shown next to the field; recording the same completion again is harmless (the API
// answers with the first record), with other evidence it is refused.
import { type FormEvent, useId, useState } from 'react';
import { type ApiFailure, api, asFailure, unwrap } from '../../api-client/client.js';
import { PersonPicker } from '../../components/PersonPicker.js';
import { toDateInput } from '../people/show.js';
import {
  bodyProblems,
  Field,
  problemAt,
  RefusalSummary,
  SaveStatus,
  useFocusOnRefusal,
} from '../settings/form-parts.js';
import { type QualificationEntry, showDay } from './show.js';

const DAY_MS = 24 * 3600 * 1000;
const dayBefore = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

export function RecordCompletionForm({
  qualification,
  onRecorded,
}: {
  qualification: QualificationEntry;
  onRecorded: () => void;
}) {
  const id = useId();
  const [person, setPerson] = useState('');
  const [completedOn, setCompletedOn] = useState(toDateInput(new Date()));
  const [evidence, setEvidence] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const summaryRef = useFocusOnRefusal(failure);
  const problems = bodyProblems(failure);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setSaved(null);
    try {
      const done = await unwrap(
        api.POST('/v1/qualifications/{id}/completions', {
          params: { path: { id: qualification.id } },
          body: { person: person.trim(), completedOn, evidence: evidence.trim() === '' ? null : evidence },
        }),
      );
      setFailure(null);
      const until = done.expiresOn === null ? 'for good' : `until ${showDay(dayBefore(done.expiresOn))}`;
      setSaved(`Recorded: ${done.person} completed it on ${showDay(done.completedOn)}, valid ${until}.`);
      setPerson('');
      setEvidence('');
      onRecorded();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const places = {
    person: { label: 'Person', control: `${id}-person` },
    completedOn: { label: 'Completed on', control: `${id}-completed` },
    evidence: { label: 'Evidence', control: `${id}-evidence` },
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Record a completion</h2>
      {failure ? (
        <RefusalSummary
          ref={summaryRef}
          failure={failure}
          title="The completion was not recorded"
          places={places}
        />
      ) : null}
      <div className="people-allocate-fields">
        <Field
          id={`${id}-person`}
          label="Person"
          help="Type part of a name or e-mail address"
          problem={problemAt(problems, 'person')}
        >
          {(control) => (
            <PersonPicker
              id={control.id}
              value={person}
              onChange={setPerson}
              required
              invalid={control['aria-invalid'] === true}
              {...(control['aria-describedby'] === undefined
                ? {}
                : { describedBy: control['aria-describedby'] })}
            />
          )}
        </Field>
        <Field
          id={`${id}-completed`}
          label="Completed on"
          help={`Today or before; ${qualification.name} is valid ${qualification.validityMonths === null ? 'for good' : `for ${qualification.validityMonths} months`} from then`}
          problem={problemAt(problems, 'completedOn')}
        >
          {(control) => (
            <input
              {...control}
              type="date"
              value={completedOn}
              onChange={(e) => setCompletedOn(e.target.value)}
            />
          )}
        </Field>
        <Field
          id={`${id}-evidence`}
          label="Evidence"
          help="A certificate number or a link; optional"
          problem={problemAt(problems, 'evidence')}
        >
          {(control) => <input {...control} value={evidence} onChange={(e) => setEvidence(e.target.value)} />}
        </Field>
      </div>
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Recording…' : 'Record the completion'}
        </button>
      </p>
      <SaveStatus text={saved} />
    </form>
  );
}
