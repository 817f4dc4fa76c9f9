// The fields of a project, for creating one and for changing one: each with its label, its help
// and the API's problem at its path right under it, and a summary at the top that takes focus on a
// refusal and links each problem to its field (the settings forms' parts, form-parts.tsx).
import type { FormEvent, InputHTMLAttributes, ReactNode, RefObject } from 'react';
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
          <TextField
            id={`${id}-code`}
            label="Code"
            help="Capitals, digits and “-”, e.g. ERP-2027"
            problem={at('code')}
            value={draft.code}
            onChange={set('code')}
            input={VERBATIM}
          />
        ) : null}
        <TextField
          id={`${id}-name`}
          label="Name"
          problem={at('name')}
          value={draft.name}
          onChange={set('name')}
        />
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
        <PersonField
          id={`${id}-manager`}
          label="Manager"
          value={draft.manager}
          onChange={set('manager')}
          problem={at('manager')}
        />
        <PersonField
          id={`${id}-sponsor`}
          label="Sponsor"
          value={draft.sponsor}
          onChange={set('sponsor')}
          problem={at('sponsor')}
        />
        <TextField
          id={`${id}-amount`}
          label="Budget amount"
          help="Optional; digits and a point, e.g. 250000.00"
          problem={budgetProblem}
          value={draft.amount}
          onChange={set('amount')}
          input={{ inputMode: 'decimal', autoComplete: 'off' }}
        />
        <TextField
          id={`${id}-currency`}
          label="Currency"
          help="ISO code, e.g. EUR"
          problem={at('budget.currency')}
          value={draft.currency}
          onChange={(currency) => set('currency')(currency.toUpperCase())}
          input={{ ...VERBATIM, maxLength: 3 }}
        />
        <TextField
          id={`${id}-start`}
          label="Start date"
          help="Optional"
          problem={at('start')}
          value={draft.start}
          onChange={set('start')}
          input={{ type: 'date' }}
        />
        <TextField
          id={`${id}-end`}
          label="End date"
          help="Optional; not before the start"
          problem={at('end')}
          value={draft.end}
          onChange={set('end')}
          input={{ type: 'date' }}
        />
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
        <TextField
          id={`${id}-reason`}
          label="Health reason"
          help="Optional; what puts the project at risk"
          problem={at('health.reason')}
          value={draft.reason}
          onChange={set('reason')}
        />
        <TextField
          id={`${id}-tags`}
          label="Tags"
          help="Optional; small letters, digits and “-”, separated by commas"
          problem={at('tags')}
          value={draft.tags}
          onChange={set('tags')}
          input={VERBATIM}
        />
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

/** Codes, ISO letters and tags: neither spelling nor the browser's autofill helps with them. */
const VERBATIM: InputHTMLAttributes<HTMLInputElement> = { autoComplete: 'off', spellCheck: false };

/** A text box (or, by `input`, a date) whose value is the draft's. */
function TextField({
  id,
  label,
  help,
  problem,
  value,
  onChange,
  input,
}: {
  id: string;
  label: string;
  help?: string;
  problem: string | undefined;
  value: string;
  onChange: (value: string) => void;
  /** More of the box's attributes: its type when not text, autoComplete, inputMode, maxLength. */
  input?: InputHTMLAttributes<HTMLInputElement>;
}) {
  return (
    <Field id={id} label={label} help={help} problem={problem}>
      {(c) => (
        <input {...c} type="text" {...input} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

/** An optional person of the directory (the manager, the sponsor), picked by name or e-mail. */
function PersonField({
  id,
  label,
  value,
  onChange,
  problem,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem: string | undefined;
}) {
  return (
    <Field id={id} label={label} help="Optional; a person of the directory" problem={problem}>
      {(c) => (
        <PersonPicker
          id={c.id}
          value={value}
          onChange={onChange}
          {...(c['aria-describedby'] === undefined ? {} : { describedBy: c['aria-describedby'] })}
          invalid={c['aria-invalid'] === true}
        />
      )}
    </Field>
  );
}
