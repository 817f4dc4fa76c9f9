// The start form of one process: a control per input field, checked as people type by the same
// engine/input code the API runs (a field's problems show once focus has left it, or after a
// start was tried), then POST /v1/instances. A refusal keeps everything typed and puts each of the
// server's problems next to its field; the Idempotency-Key stays the same while the request does,
// so a retry after a lost answer never starts the request twice.
import { type FormEvent, useMemo, useRef, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { api, idempotencyKey, unwrap, asFailure } from '../../api-client/client.js';
import { navigate } from '../../app/router.js';
import { ErrorNotice } from '../../components/states.js';
import { FormField } from './FormField.js';
import {
  checkForm,
  type FieldDescription,
  type FormPath,
  type FormProblem,
  type FormValue,
  type FormValues,
  inputPathOf,
  pathKey,
  processOf,
  toApiInput,
} from './form-values.js';
import { ProblemSummary } from './ProblemSummary.js';

interface RequestFormProps {
  policy: string;
  process: string;
  fields: FieldDescription[];
  initial: FormValues;
}

interface Refusal {
  failure: ApiFailure;
  /** The server's problems inside the input, at form paths. */
  problems: FormProblem[];
  /** The server's problems elsewhere in the request. */
  elsewhere: { path: string; message: string }[];
}

const underField = (key: string, field: string): boolean =>
  key === field || key.startsWith(`${field}[`) || key.startsWith(`${field}.`);

function unique(messages: string[]): string[] {
  return [...new Set(messages)];
}

export function RequestForm({ policy, process, fields, initial }: RequestFormProps) {
  const processIR = useMemo(() => processOf(process, fields), [process, fields]);
  const [values, setValues] = useState<FormValues>(initial);
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const sent = useRef<{ body: string; key: string } | null>(null);
  const summary = useRef<HTMLDivElement>(null);

  const local = useMemo(() => checkForm(processIR, fields, values), [processIR, fields, values]);
  const shown = (key: string): boolean => attempted || left.has(key.split(/[[.]/)[0] ?? key);

  const problemsAt = (path: FormPath): string[] => {
    const key = pathKey(path);
    return unique([
      ...local.filter((p) => p.key === key && shown(key)).map((p) => p.message),
      ...(refusal?.problems ?? []).filter((p) => p.key === key).map((p) => p.message),
    ]);
  };

  const change = (field: string, value: FormValue): void => {
    setValues((v) => ({ ...v, [field]: value }));
    // What the server said about this field no longer holds for what is typed now.
    setRefusal((r) =>
      r === null ? r : { ...r, problems: r.problems.filter((p) => !underField(p.key, field)) },
    );
  };

  const focusSummary = (): void => {
    window.setTimeout(() => summary.current?.focus(), 0);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setAttempted(true);
    setFailure(null);
    if (local.length > 0) {
      setRefusal(null);
      focusSummary();
      return;
    }
    const converted = toApiInput(fields, values);
    const body = { policy, process, input: converted.input };
    const text = JSON.stringify(body);
    const key = sent.current?.body === text ? sent.current.key : idempotencyKey();
    sent.current = { body: text, key };
    setBusy(true);
    try {
      const started = await unwrap(
        api.POST('/v1/instances', { body, params: { header: { 'Idempotency-Key': key } } }),
      );
      navigate(`/instances/${encodeURIComponent(started.instanceId)}`);
    } catch (error) {
      const f = asFailure(error);
      if (f.status === 422 && f.problems.length > 0) {
        const problems: FormProblem[] = [];
        const elsewhere: { path: string; message: string }[] = [];
        for (const p of f.problems) {
          const inputPath = inputPathOf(p.path);
          if (inputPath === null) elsewhere.push(p);
          else problems.push({ key: pathKey(converted.formPath(inputPath)), message: p.message });
        }
        setRefusal({ failure: f, problems, elsewhere });
        focusSummary();
      } else {
        setRefusal(null);
        setFailure(f);
      }
    } finally {
      setBusy(false);
    }
  };

  const summaryProblems = refusal ? refusal.problems : attempted ? local : [];
  const showSummary = refusal !== null || (attempted && local.length > 0);
  return (
    <form className="request-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Request">
      {showSummary ? (
        <ProblemSummary
          ref={summary}
          problems={summaryProblems}
          failure={refusal?.failure ?? null}
          elsewhere={refusal?.elsewhere ?? []}
        />
      ) : null}
      {failure ? <ErrorNotice failure={failure} title="Charter did not start the request" /> : null}
      <div className="card request-fields">
        {fields.length === 0 ? <p>This process takes no input: start it as it is.</p> : null}
        {fields.map((field) => (
          <FormField
            key={field.name}
            field={field}
            value={values[field.name] ?? ''}
            onChange={(value) => change(field.name, value)}
            onLeave={() => setLeft((s) => (s.has(field.name) ? s : new Set(s).add(field.name)))}
            problemsAt={problemsAt}
          />
        ))}
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Starting…' : 'Start the request'}
        </button>
      </div>
    </form>
  );
}
