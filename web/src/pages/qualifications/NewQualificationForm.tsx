// "Add a qualification", for the PMO and admins (POST /v1/qualifications): an id people and CSV
// files name it by, a name, what it is, and how many months a completion stays valid, or that it
// never expires (a choice, so the API requires it). The API's refusal is shown at the top, each
// problem linked to its field, and next to the field itself; what was typed stays.
import { type FormEvent, useId, useState } from 'react';
import { ApiFailure, api, asFailure, unwrap } from '../../api-client/client.js';
import { bodyProblems, Field, problemAt, RefusalSummary, useFocusOnRefusal } from '../settings/form-parts.js';

export function NewQualificationForm({ onCreated }: { onCreated: (id: string) => void }) {
  const id = useId();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [months, setMonths] = useState('12');
  const [never, setNever] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const summaryRef = useFocusOnRefusal(failure);
  const problems = bodyProblems(failure);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const text = months.trim();
    if (!never && !/^\d+$/.test(text)) {
      // An empty number would reach the API as null, which means "never expires": stop it here.
      const message = 'enter whole months, at least 1, or tick “It never expires”';
      setFailure(new ApiFailure(0, 'client', message, [{ path: 'body.validityMonths', message }]));
      return;
    }
    const validityMonths = never ? null : Number(text);
    setBusy(true);
    try {
      const created = await unwrap(
        api.POST('/v1/qualifications', {
          body: {
            id: slug.trim(),
            name,
            description: description.trim() === '' ? null : description,
            validityMonths,
          },
        }),
      );
      setFailure(null);
      onCreated(created.id);
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const places = {
    id: { label: 'Id', control: `${id}-id` },
    name: { label: 'Name', control: `${id}-name` },
    description: { label: 'What it is', control: `${id}-description` },
    validityMonths: { label: 'Valid for (months)', control: `${id}-months` },
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add a qualification</h2>
      {failure ? (
        <RefusalSummary
          ref={summaryRef}
          failure={failure}
          title="The qualification was not added"
          places={places}
        />
      ) : null}
      <div className="people-allocate-fields">
        <Field
          id={`${id}-id`}
          label="Id"
          help="Small letters, digits and -, e.g. itil-change; CSV files name it by this"
          problem={problemAt(problems, 'id')}
        >
          {(control) => (
            <input
              {...control}
              value={slug}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setSlug(e.target.value)}
            />
          )}
        </Field>
        <Field id={`${id}-name`} label="Name" problem={problemAt(problems, 'name')}>
          {(control) => <input {...control} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field
          id={`${id}-months`}
          label="Valid for (months)"
          help={never ? 'It never expires' : 'From the day of completion'}
          problem={problemAt(problems, 'validityMonths')}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              value={months}
              disabled={never}
              onChange={(e) => setMonths(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="field">
        <label className="check-line">
          <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} /> It never
          expires
        </label>
      </div>
      <Field id={`${id}-description`} label="What it is" problem={problemAt(problems, 'description')}>
        {(control) => (
          <textarea
            {...control}
            rows={2}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add the qualification'}
        </button>
      </p>
    </form>
  );
}
