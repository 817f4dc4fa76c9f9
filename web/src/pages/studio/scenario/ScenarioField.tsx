// One labelled control of the scenario form (text, multi-line text, date and time, or a choice),
// with its help and its problems right under it: the problem is tied to the control with
// aria-describedby and marks it invalid, so a screen reader says what is wrong where it is.
import { type ReactNode, useId } from 'react';

interface ScenarioFieldProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  problems: readonly string[];
  help?: string;
  /** `lines` is a text area; `choice` a select of `choices`. */
  kind?: 'text' | 'lines' | 'datetime' | 'choice';
  choices?: readonly { value: string; label: string }[];
  className?: string;
}

export function ScenarioField(props: ScenarioFieldProps) {
  const { label, value, onChange, problems, help, kind = 'text', choices = [], className } = props;
  const id = useId();
  const helpId = `${id}-help`;
  const problemId = `${id}-problem`;
  const describedBy =
    [problems.length > 0 ? problemId : null, help ? helpId : null].filter((s) => s !== null).join(' ') ||
    undefined;
  const common = {
    id,
    value,
    'aria-describedby': describedBy,
    'aria-invalid': problems.length > 0 ? true : undefined,
  };
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {help ? (
        <p id={helpId} className="field-help">
          {help}
        </p>
      ) : null}
      {kind === 'choice' ? (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      ) : kind === 'lines' ? (
        <textarea {...common} rows={2} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={kind === 'datetime' ? 'datetime-local' : 'text'}
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {problems.length > 0 ? (
        <p id={problemId} className="field-problem">
          {problems.join('; ')}
        </p>
      ) : null}
    </div>
  );
}
