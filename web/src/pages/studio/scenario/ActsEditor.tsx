// What happens after the start, in order: time passing, people deciding, attesting or waiving,
// a check service answering, the request being cancelled. Acts are added, moved and removed with
// buttons (no dragging), and after a move the focus follows the act, so the keyboard never loses
// its place. Each act shows only the parts its kind uses, each with its own problems.
import { useId, useRef, useState } from 'react';
import type { ProcessIR } from '../../../../../engine/ir/types.js';
import {
  ACT_LABELS,
  type ActForm,
  type ActKind,
  actKindsFor,
  type CheckOutcome,
  newAct,
  stepsFor,
} from './scenario-build.js';
import { ScenarioField } from './ScenarioField.js';

interface ActsEditorProps {
  acts: ActForm[];
  process: ProcessIR;
  onChange: (acts: ActForm[]) => void;
  problemsAt: (key: string) => string[];
}

const OUTCOMES: readonly CheckOutcome[] = ['passed', 'failed', 'error'];

/** The word for an act's `reason` part, which each kind uses differently. */
const REASON_LABEL: Partial<Record<ActKind, string>> = {
  approve: 'Reason (optional)',
  reject: 'Reason (optional)',
  requestChanges: 'What to change (optional)',
  attest: 'Evidence (optional)',
  waive: 'Why it is waived',
  cancel: 'Why it is cancelled',
};

export function ActsEditor({ acts, process, onChange, problemsAt }: ActsEditorProps) {
  const kinds = actKindsFor(process);
  const [adding, setAdding] = useState<ActKind>('wait');
  const addId = useId();
  const headings = useRef<Record<string, HTMLHeadingElement | null>>({});
  const kind = kinds.includes(adding) ? adding : 'wait';

  const focusLater = (id: string): void => {
    window.setTimeout(() => headings.current[id]?.focus(), 0);
  };
  const update = (id: string, change: Partial<ActForm>): void =>
    onChange(acts.map((a) => (a.id === id ? { ...a, ...change } : a)));
  const move = (at: number, by: -1 | 1): void => {
    const next = [...acts];
    const [act] = next.splice(at, 1);
    if (!act) return;
    next.splice(at + by, 0, act);
    onChange(next);
    focusLater(act.id);
  };
  const add = (): void => {
    const act = newAct(kind, acts, process);
    onChange([...acts, act]);
    focusLater(act.id);
  };

  return (
    <fieldset className="field scenario-acts">
      <legend>What happens next</legend>
      <p className="field-help">
        In order, after the start. &quot;Time passes&quot; moves the clock: +2h, +3d, +1w, or a date and time
        like 2026-03-05 10:00. Other acts happen at the time reached.
      </p>
      {acts.length === 0 ? (
        <p className="scenario-no-acts">Nothing yet: the run shows the start only.</p>
      ) : null}
      <ol className="scenario-act-list">
        {acts.map((act, i) => {
          const steps = stepsFor(process, act.kind);
          const at = (field: keyof ActForm) => problemsAt(`acts.${act.id}.${field}`);
          const place = `act ${i + 1}`;
          return (
            <li key={act.id} className="scenario-act">
              <h3
                className="scenario-act-title"
                tabIndex={-1}
                ref={(el) => {
                  headings.current[act.id] = el;
                }}
              >
                {i + 1}. {ACT_LABELS[act.kind]}
              </h3>
              {at('kind').length > 0 ? <p className="field-problem">{at('kind').join('; ')}</p> : null}
              <div className="scenario-act-fields">
                {act.kind === 'wait' ? (
                  <ScenarioField
                    label="Until"
                    value={act.at}
                    onChange={(v) => update(act.id, { at: v })}
                    problems={at('at')}
                  />
                ) : null}
                {act.kind !== 'wait' && act.kind !== 'cancel' ? (
                  <ScenarioField
                    label="Step"
                    kind="choice"
                    value={act.step}
                    choices={steps.map((s) => ({ value: s, label: s }))}
                    onChange={(v) => update(act.id, { step: v })}
                    problems={at('step')}
                  />
                ) : null}
                {act.kind !== 'wait' && act.kind !== 'check' ? (
                  <ScenarioField
                    label="As (person)"
                    value={act.as}
                    onChange={(v) => update(act.id, { as: v })}
                    problems={at('as')}
                  />
                ) : null}
                {act.kind === 'check' ? (
                  <ScenarioField
                    label="Answer"
                    kind="choice"
                    value={act.outcome}
                    choices={OUTCOMES.map((o) => ({ value: o, label: o }))}
                    onChange={(v) => update(act.id, { outcome: v as CheckOutcome })}
                    problems={at('outcome')}
                  />
                ) : null}
                {REASON_LABEL[act.kind] !== undefined ? (
                  <ScenarioField
                    label={REASON_LABEL[act.kind]}
                    value={act.reason}
                    onChange={(v) => update(act.id, { reason: v })}
                    problems={at('reason')}
                  />
                ) : null}
              </div>
              <div className="actions scenario-act-actions">
                <button
                  type="button"
                  className="button"
                  disabled={i === 0}
                  aria-label={`Move ${place} up`}
                  onClick={() => move(i, -1)}
                >
                  Up
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={i === acts.length - 1}
                  aria-label={`Move ${place} down`}
                  onClick={() => move(i, 1)}
                >
                  Down
                </button>
                <button
                  type="button"
                  className="button"
                  aria-label={`Remove ${place}`}
                  onClick={() => {
                    onChange(acts.filter((a) => a.id !== act.id));
                    const neighbour = acts[i + 1] ?? acts[i - 1];
                    if (neighbour) focusLater(neighbour.id);
                  }}
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <div className="scenario-add-act">
        <div className="field">
          <label htmlFor={addId}>Add an act</label>
          <select id={addId} value={kind} onChange={(e) => setAdding(e.target.value as ActKind)}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {ACT_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button" onClick={add}>
          Add
        </button>
      </div>
    </fieldset>
  );
}
