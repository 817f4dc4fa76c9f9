// The confirmation every action goes through: a small modal dialog naming the action and the task,
// with the field the action takes (reason, evidence, or whom to delegate to and until when).
// A problem with a field (a missing reason the engine asks for, an unknown person) is shown next
// to that field and the dialog stays open; any other refusal (segregation of duties, already
// decided) goes back to the caller, which shows it in the task's panel.
import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { asFailure } from '../../api-client/client.js';
import { Dialog } from '../../components/Dialog.js';
import { PersonPicker } from '../../components/PersonPicker.js';
import { ErrorNotice } from '../../components/states.js';
import { type ActionFields, type ActionKind, actionSpec, localDatePlus, performAction } from './actions.js';
import type { Task } from './inbox-data.js';
import type { StepFacts } from './policy-facts.js';

/** Delegations default to a week and may last at most 90 days (the API's limit). */
const DEFAULT_DELEGATION_DAYS = 7;
const MAX_DELEGATION_DAYS = 90;

interface ActionDialogProps {
  kind: ActionKind;
  task: Task;
  facts: StepFacts | null;
  onDone: (kind: ActionKind, task: Task, fields: ActionFields) => void;
  onRefused: (kind: ActionKind, task: Task, failure: ApiFailure) => void;
  onCancel: () => void;
  returnFocus?: () => void;
}

export function ActionDialog({
  kind,
  task,
  facts,
  onDone,
  onRefused,
  onCancel,
  returnFocus,
}: ActionDialogProps) {
  const spec = actionSpec(kind, facts?.evidenceRequired ?? false);
  const ids = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [fields, setFields] = useState<ActionFields>({
    text: '',
    to: '',
    until: localDatePlus(DEFAULT_DELEGATION_DAYS),
    note: '',
  });
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const problemAt = (path: string): string | null =>
    (path === spec.textPath && missing) || failure?.problems.find((p) => p.path === path)?.message || null;
  const ownPaths = kind === 'delegate' ? ['body.to', 'body.until', 'body.note'] : [spec.textPath];

  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    if (busy) return;
    if (spec.textRequired && fields.text.trim() === '') {
      setMissing(spec.textMissing);
      textRef.current?.focus();
      return;
    }
    setBusy(true);
    setMissing(null);
    setFailure(null);
    try {
      await performAction(kind, task, fields);
      onDone(kind, task, fields);
    } catch (error) {
      const f = asFailure(error);
      // A problem this dialog can fix stays here; a refusal of the person goes to the panel.
      if (f.status === 422 && f.problems.some((p) => ownPaths.includes(p.path))) {
        setFailure(f);
        setBusy(false);
        if (kind !== 'delegate') textRef.current?.focus();
      } else {
        onRefused(kind, task, f);
      }
    }
  };

  // In the text field, Enter writes a new line; Ctrl+Enter (Cmd+Enter) confirms.
  const confirmFromText = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit();
  };

  const textProblem = problemAt(spec.textPath);
  const textId = `${ids}-text`;
  return (
    <Dialog
      title={`${spec.verb}?`}
      description={
        <p>
          <strong>{task.title}</strong>
          {task.onBehalfOf ? <> on behalf of {task.onBehalfOf}</> : null}
          <span className="dialog-context">
            {' '}
            · {task.policy.name} v{task.policy.version}
          </span>
        </p>
      }
      onCancel={onCancel}
      initialFocus={spec.textRequired || kind === 'delegate' ? undefined : confirmRef}
      returnFocus={returnFocus}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        {kind === 'attest' && facts?.statement ? (
          <p className="dialog-statement">
            You attest: <q>{facts.statement}</q>
          </p>
        ) : null}
        {kind === 'attest' && facts?.grants ? (
          <p className="dialog-statement">
            Your attestation also records a completion of the qualification <code>{facts.grants}</code> in the
            registry, dated today.
          </p>
        ) : null}
        {kind === 'delegate' ? (
          <DelegateFields
            ids={ids}
            fields={fields}
            setFields={setFields}
            problemAt={problemAt}
            facts={facts}
          />
        ) : spec.textLabel ? (
          <div className="field">
            <label htmlFor={textId}>{spec.textLabel}</label>
            <textarea
              id={textId}
              ref={textRef}
              rows={3}
              value={fields.text}
              required={spec.textRequired}
              aria-invalid={textProblem ? true : undefined}
              aria-describedby={textProblem ? `${textId}-problem` : `${textId}-help`}
              onChange={(e) => setFields({ ...fields, text: e.target.value })}
              onKeyDown={confirmFromText}
            />
            {textProblem ? (
              <p className="field-problem" id={`${textId}-problem`}>
                {textProblem}
              </p>
            ) : (
              <p className="field-help" id={`${textId}-help`}>
                Recorded in the audit trail with your decision. Ctrl+Enter confirms.
              </p>
            )}
          </div>
        ) : null}
        {failure && !failure.problems.some((p) => ownPaths.includes(p.path)) ? (
          <ErrorNotice failure={failure} title={`Could not ${spec.verb.toLowerCase()}`} />
        ) : null}
        <div className="actions dialog-actions">
          <button
            ref={confirmRef}
            type="submit"
            className={`button ${spec.danger ? 'button-danger' : 'button-primary'}`}
            disabled={busy}
          >
            {busy ? `${spec.verb}…` : spec.verb}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DelegateFields({
  ids,
  fields,
  setFields,
  problemAt,
  facts,
}: {
  ids: string;
  fields: ActionFields;
  setFields: (f: ActionFields) => void;
  problemAt: (path: string) => string | null;
  facts: StepFacts | null;
}) {
  const toProblem = problemAt('body.to');
  const untilProblem = problemAt('body.until');
  const noteProblem = problemAt('body.note');
  return (
    <>
      <p className="field-help">
        Until the end of the day you choose, this person sees your tasks (all of them, not only this one) and
        decides them on your behalf; you keep them too. Segregation of duties still applies to them.
      </p>
      {facts && !facts.allowDelegation ? (
        <p className="notice notice-warning">
          This step does not allow delegation: your stand-in will see it but cannot decide it.
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${ids}-to`}>Delegate to</label>
        <PersonPicker
          id={`${ids}-to`}
          value={fields.to}
          onChange={(to) => setFields({ ...fields, to })}
          required
          invalid={toProblem !== null}
          {...(toProblem ? { describedBy: `${ids}-to-problem` } : {})}
        />
        {toProblem ? (
          <p className="field-problem" id={`${ids}-to-problem`}>
            {toProblem}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-until`}>Until (including)</label>
        <input
          id={`${ids}-until`}
          type="date"
          value={fields.until}
          min={localDatePlus(0)}
          max={localDatePlus(MAX_DELEGATION_DAYS - 1)}
          required
          aria-invalid={untilProblem ? true : undefined}
          aria-describedby={untilProblem ? `${ids}-until-problem` : `${ids}-until-help`}
          onChange={(e) => setFields({ ...fields, until: e.target.value })}
        />
        {untilProblem ? (
          <p className="field-problem" id={`${ids}-until-problem`}>
            {untilProblem}
          </p>
        ) : (
          <p className="field-help" id={`${ids}-until-help`}>
            At most {MAX_DELEGATION_DAYS} days from today.
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-note`}>Note to them (optional)</label>
        <textarea
          id={`${ids}-note`}
          rows={2}
          value={fields.note}
          aria-invalid={noteProblem ? true : undefined}
          onChange={(e) => setFields({ ...fields, note: e.target.value })}
        />
        {noteProblem ? <p className="field-problem">{noteProblem}</p> : null}
      </div>
    </>
  );
}
