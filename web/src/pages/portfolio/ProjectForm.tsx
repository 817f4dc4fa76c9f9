// The fields of a project, for creating one and for changing one: each with its label, its help
// and the API's problem at its path right under it, and a summary at the top that takes focus on a
// refusal and links each problem to its field (the settings forms' parts, form-parts.tsx).
import type { FormEvent, ReactNode, RefObject } from 'react';
import { type ApiFailure } from '../../api-client/client.js';
import { PersonPicker } from '../../components/PersonPicker.js';
import { bodyProblems, Field, type Place, problemAt, RefusalSummary } from '../settings/form-parts.js';
import type { Draft } from './project-draft.js';
import { HEALTH_TEXT, HEALTHS, type Health } from './project-view.js';

/** The API's field paths (without `body.`) and the field that shows each. */
const placesOf = (id: string, withCode: boolean): Record<string, Place> => ({
  ...(withCode ? { code: { label: 'Code', control: `${id}-code` } } : {}),
  name: { label: 'Name', control: `${id}-name` },
  phase: { label: 'Phase', control: `${id}-phase` },
  manager: { label: 'Manager', control: `${id}-manager` },
  sponsor: { label: 'Sponsor', control: `${id}-sponsor` },
  budget: { label: 'Budget', control: `${id}-amount` },
  'budget.amount': { label: 'Budget amount', control: `${id}-amount` },
  'budget.currency': { label: 'Currency', control: `${id}-currency` },
  start: { label: 'Start date', control: `${id}-start` },
  end: { label: 'End date', control: `${id}-end` },
  health: { label: 'Health', control: `${id}-health` },
  'health.reason': { label: 'Health reason', control: `${id}-reason` },
  tags: { label: 'Tags', control: `${id}-tags` },
});

export interface ProjectFormProps {
  id: string;
  draft: Draft;
  onChange: (next: Draft) => void;
  /** The PMO's phases, in order (a stored phase no longer listed is offered too). */
  phases: readonly string[];
  withCode: boolean;
  failure: ApiFailure | null;
  refusalTitle: string;
  summaryRef: RefObject<HTMLDivElement | null>;
  busy: boolean;
  submitLabel: string;
  onSubmit: (event: FormEvent) => void;
  /** Buttons beside the submit (cancel). */
  extra?: ReactNode;
  /** A notice above the fields (a conflict that reloaded the form). */
  notice?: ReactNode;
}

export function ProjectForm(props: ProjectFormProps) {
  const { id, draft, onChange, phases, withCode, failure, busy } = props;
  const problems = bodyProblems(failure);
  const at = (path: string) => problemAt(problems, path);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]): void =>
      onChange({ ...draft, [key]: value });
  const phaseOptions = phases.includes(draft.phase) || draft.phase === '' ? phases : [...phases, draft.phase];
  // A whole-budget problem ("budget: expected an object") shows at the amount, where the budget starts.
  const budgetProblem =
    at('budget.amount') ?? (at('budget.currency') === undefined ? at('budget') : undefined);

  return (
    <form className="portfolio-form" onSubmit={props.onSubmit} noValidate>
      {props.notice}
      {failure ? (
        <RefusalSummary
          ref={props.summaryRef}
          failure={failure}
          title={props.refusalTitle}
          places={placesOf(id, withCode)}
        />
      ) : null}
      <div className="portfolio-form-fields">
        {withCode ? (
          <Field
            id={`${id}-code`}
            label="Code"
            help="Capitals, digits and “-”, e.g. ERP-2027"
            problem={at('code')}
          >
            {(c) => (
              <input
                {...c}
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={draft.code}
                onChange={(e) => set('code')(e.target.value)}
              />
            )}
          </Field>
        ) : null}
        <Field id={`${id}-name`} label="Name" problem={at('name')}>
          {(c) => (
            <input {...c} type="text" value={draft.name} onChange={(e) => set('name')(e.target.value)} />
          )}
        </Field>
        <Field id={`${id}-phase`} label="Phase" problem={at('phase')}>
          {(c) => (
            <select {...c} value={draft.phase} onChange={(e) => set('phase')(e.target.value)}>
              {draft.phase === '' ? <option value="">Choose a phase</option> : null}
              {phaseOptions.map((phase) => (
                <option key={phase} value={phase}>
                  {phase}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={`${id}-manager`}
          label="Manager"
          help="Optional; a person of the directory"
          problem={at('manager')}
        >
          {(c) => (
            <PersonPicker
              id={c.id}
              value={draft.manager}
              onChange={set('manager')}
              {...(c['aria-describedby'] === undefined ? {} : { describedBy: c['aria-describedby'] })}
              invalid={c['aria-invalid'] === true}
            />
          )}
        </Field>
        <Field
          id={`${id}-sponsor`}
          label="Sponsor"
          help="Optional; a person of the directory"
          problem={at('sponsor')}
        >
          {(c) => (
            <PersonPicker
              id={c.id}
              value={draft.sponsor}
              onChange={set('sponsor')}
              {...(c['aria-describedby'] === undefined ? {} : { describedBy: c['aria-describedby'] })}
              invalid={c['aria-invalid'] === true}
            />
          )}
        </Field>
        <Field
          id={`${id}-amount`}
          label="Budget amount"
          help="Optional; digits and a point, e.g. 250000.00"
          problem={budgetProblem}
        >
          {(c) => (
            <input
              {...c}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={draft.amount}
              onChange={(e) => set('amount')(e.target.value)}
            />
          )}
        </Field>
        <Field
          id={`${id}-currency`}
          label="Currency"
          help="ISO code, e.g. EUR"
          problem={at('budget.currency')}
        >
          {(c) => (
            <input
              {...c}
              type="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={3}
              value={draft.currency}
              onChange={(e) => set('currency')(e.target.value.toUpperCase())}
            />
          )}
        </Field>
        <Field id={`${id}-start`} label="Start date" help="Optional" problem={at('start')}>
          {(c) => (
            <input {...c} type="date" value={draft.start} onChange={(e) => set('start')(e.target.value)} />
          )}
        </Field>
        <Field id={`${id}-end`} label="End date" help="Optional; not before the start" problem={at('end')}>
          {(c) => <input {...c} type="date" value={draft.end} onChange={(e) => set('end')(e.target.value)} />}
        </Field>
        <Field id={`${id}-health`} label="Health" problem={at('health.status') ?? at('health')}>
          {(c) => (
            <select {...c} value={draft.health} onChange={(e) => set('health')(e.target.value as Health)}>
              {HEALTHS.map((h) => (
                <option key={h} value={h}>
                  {HEALTH_TEXT[h]} ({h})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={`${id}-reason`}
          label="Health reason"
          help="Optional; what puts the project at risk"
          problem={at('health.reason')}
        >
          {(c) => (
            <input {...c} type="text" value={draft.reason} onChange={(e) => set('reason')(e.target.value)} />
          )}
        </Field>
        <Field
          id={`${id}-tags`}
          label="Tags"
          help="Optional; small letters, digits and “-”, separated by commas"
          problem={at('tags')}
        >
          {(c) => (
            <input
              {...c}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={draft.tags}
              onChange={(e) => set('tags')(e.target.value)}
            />
          )}
        </Field>
      </div>
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : props.submitLabel}
        </button>
        {props.extra}
      </p>
    </form>
  );
}
