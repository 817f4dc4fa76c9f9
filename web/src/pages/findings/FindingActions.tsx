// What the signed-in person may do with a finding, as the API says (`may`): acknowledge it with a
// note, resolve it with the evidence that the rule is met again, or waive it until a day with a
// reason. Each is a small form; the server decides what is valid, and its refusal of a field is
// shown next to that field, any other refusal (a role, a finding someone else just resolved) above
// the form in the API's words. The forms send no version: a monitor run that sees the finding
// again changes its version, and that must not refuse a person's answer; the API still refuses an
// action on a finding that is no longer live.
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { type ApiFailure, api, asFailure, idempotencyKey, unwrap } from '../../api-client/client.js';
import { ErrorNotice } from '../../components/states.js';
import { bodyProblems, Field, problemAt, SaveStatus } from '../settings/form-parts.js';
import { dayFromToday, dayText, type Finding } from './finding-view.js';

type Action = 'acknowledge' | 'resolve' | 'waive';

/** Sends one action with a fresh Idempotency-Key per attempt: a retried click never acts twice. */
function send(id: string, action: Action, body: Record<string, string>): Promise<Finding> {
  const params = { path: { id }, header: { 'Idempotency-Key': idempotencyKey() } };
  switch (action) {
    case 'acknowledge': {
      const note = body['note'] ?? '';
      return unwrap(api.POST('/v1/findings/{id}/acknowledge', { params, body: note === '' ? {} : { note } }));
    }
    case 'resolve':
      return unwrap(
        api.POST('/v1/findings/{id}/resolve', { params, body: { evidence: body['evidence'] ?? '' } }),
      );
    case 'waive':
      return unwrap(
        api.POST('/v1/findings/{id}/waive', {
          params,
          body: { until: body['until'] ?? '', reason: body['reason'] ?? '' },
        }),
      );
  }
}

const DONE: Record<Action, string> = {
  acknowledge: 'Acknowledged: the owners and the PMO see that you are on it.',
  resolve: 'Resolved: the finding is closed with your evidence.',
  waive: 'Waived: runs until that day open no finding for this project and monitor.',
};

export function FindingActions({ finding, onChanged }: { finding: Finding; onChanged: () => void }) {
  const [done, setDone] = useState<string | null>(null);
  const { may } = finding;
  const act = (action: Action) => () => {
    setDone(DONE[action]);
    onChanged();
  };
  const none = !may.acknowledge && !may.resolve && !may.waive;
  return (
    <section className="card findings-actions" aria-labelledby="finding-actions-title">
      <h2 id="finding-actions-title">What you can do</h2>
      <SaveStatus text={done} />
      {none ? (
        <p className="muted">
          {finding.status === 'open' || finding.status === 'acknowledged'
            ? 'Its owners, the people it was escalated to and the PMO act on this finding; the PMO and the people the monitor names may waive it.'
            : 'Nothing: the finding has ended.'}
        </p>
      ) : null}
      {may.acknowledge ? (
        <ActionForm
          finding={finding}
          action="acknowledge"
          title="Acknowledge"
          button="Acknowledge"
          onDone={act('acknowledge')}
          fields={[
            { name: 'note', label: 'Note (optional)', help: 'What you are doing about it', kind: 'text' },
          ]}
        />
      ) : null}
      {may.resolve ? (
        <ActionForm
          finding={finding}
          action="resolve"
          title="Resolve"
          button="Resolve"
          onDone={act('resolve')}
          fields={[
            {
              name: 'evidence',
              label: 'Evidence',
              help: 'What shows the rule is met again: a document, a ticket, a decision',
              kind: 'text',
            },
          ]}
        />
      ) : null}
      {may.waive ? (
        <ActionForm
          finding={finding}
          action="waive"
          title="Waive"
          button="Waive"
          onDone={act('waive')}
          fields={[
            {
              name: 'until',
              label: 'Waived until',
              help: `The last day it holds: after today, at most a year ahead (${dayText(dayFromToday(365, Date.now()))})`,
              kind: 'date',
            },
            {
              name: 'reason',
              label: 'Reason',
              help: 'Why the project may skip this rule for now',
              kind: 'text',
            },
          ]}
        />
      ) : null}
    </section>
  );
}

interface FieldSpec {
  name: string;
  label: string;
  help: ReactNode;
  kind: 'text' | 'date';
}

function ActionForm(props: {
  finding: Finding;
  action: Action;
  title: string;
  button: string;
  fields: FieldSpec[];
  onDone: () => void;
}) {
  const { finding, action, title, button, fields, onDone } = props;
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const problems = bodyProblems(failure);
  // A refusal no field shows (403, 409) is listed above the fields.
  const general = failure !== null && !fields.some((f) => problemAt(problems, f.name) !== undefined);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    try {
      await send(finding.id, action, values);
      setFailure(null);
      setValues({});
      onDone();
    } catch (error) {
      setFailure(asFailure(error));
      // The first refused field takes focus, so a keyboard user is where the fix goes.
      const first = fields.find((f) => problemAt(bodyProblems(asFailure(error)), f.name) !== undefined);
      window.setTimeout(() => {
        if (first) document.getElementById(`${id}-${first.name}`)?.focus();
        else noticeRef.current?.focus();
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="findings-action"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      {general ? (
        <div ref={noticeRef} tabIndex={-1}>
          <ErrorNotice failure={failure} title={`Not done: ${title.toLowerCase()}`} />
        </div>
      ) : null}
      {fields.map((f) => (
        <Field
          key={f.name}
          id={`${id}-${f.name}`}
          label={f.label}
          help={f.help}
          problem={problemAt(problems, f.name)}
        >
          {(control) =>
            f.kind === 'date' ? (
              <input
                {...control}
                type="date"
                min={dayFromToday(1, Date.now())}
                value={values[f.name] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              />
            ) : (
              <textarea
                {...control}
                rows={2}
                value={values[f.name] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              />
            )
          }
        </Field>
      ))}
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? `${button}…` : button}
        </button>
      </p>
    </form>
  );
}
