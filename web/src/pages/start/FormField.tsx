// One field of the start form: its label (marked "(optional)" when it may be left out), a line of
// help saying what the field takes and its default, the control, and the problems at its path.
// Lists and composite values (money, duration) are groups, so a screen reader names their parts.
import type { FocusEvent } from 'react';
import { formatMoney } from '../../../../engine/expr/money.js';
import { typeText } from '../../../../engine/input/index.js';
import type { TypeIR, ValueIR } from '../../../../engine/ir/types.js';
import { controlId, FieldControl, problemId } from './FieldControl.js';
import { type FieldDescription, fieldLabel, type FormPath, type FormValue } from './form-values.js';

interface FormFieldProps {
  field: FieldDescription;
  value: FormValue;
  onChange: (value: FormValue) => void;
  /** Focus left the field: its problems may show now. */
  onLeave: () => void;
  problemsAt: (path: FormPath) => string[];
}

/** What the field takes, in words, for the line under its label. */
function kindHelp(type: TypeIR): string | null {
  switch (type.kind) {
    case 'money':
      return type.currency ? `An amount in ${type.currency}.` : 'An amount and its currency (EUR, USD, …).';
    case 'percentage':
      return 'A percentage.';
    case 'duration':
      return 'How long.';
    case 'person':
      return 'A person: type part of a name or e-mail and pick from the directory.';
    case 'list':
      return `A list of ${typeText(type.element)}.`;
    case 'date':
      return 'A date.';
    case 'number':
      return 'A number.';
    default:
      return null;
  }
}

function help(type: TypeIR, defaultValue: ValueIR | null): string {
  const fallback = defaultValue === null ? null : `Default: ${valueText(defaultValue)}.`;
  return [kindHelp(type), fallback].filter((s) => s !== null).join(' ');
}

function valueText(value: ValueIR): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : value.map(valueText).join(', ');
  if (typeof value === 'object') {
    if ('currency' in value) return formatMoney(value);
    return `${value.amount} ${value.business ? 'business ' : ''}${value.unit}${value.amount === 1 ? '' : 's'}`;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export function FormField({ field, value, onChange, onLeave, problemsAt }: FormFieldProps) {
  const path = [field.name];
  const id = controlId(path);
  const label = fieldLabel(field.name);
  const problems = problemsAt(path);
  const helpText = help(field.type, field.default);
  const required = !field.optional && field.default === null;
  const describedBy =
    [problems.length > 0 ? problemId(path) : null, helpText ? `${id}-help` : null]
      .filter((s) => s !== null)
      .join(' ') || undefined;
  // A field with a default is optional to the engine too, but it is never empty: no marker.
  const marker =
    field.optional && field.default === null ? <span className="field-optional"> (optional)</span> : null;
  const problemText =
    problems.length > 0 ? (
      <p className="field-problem" id={problemId(path)}>
        {problems.join('; ')}
      </p>
    ) : null;
  const helpLine = helpText ? (
    <p className="field-help" id={`${id}-help`}>
      {helpText}
    </p>
  ) : null;
  const control = (
    <FieldControl
      type={field.type}
      value={value}
      onChange={onChange}
      path={path}
      label={label}
      describedBy={describedBy}
      problemsAt={problemsAt}
      required={required}
    />
  );
  const leave = (e: FocusEvent<HTMLElement>): void => {
    if (!e.currentTarget.contains(e.relatedTarget)) onLeave();
  };

  if (field.type.kind === 'boolean') {
    return (
      <div className="field field-check" onBlur={leave}>
        <div className="check-line">
          {control}
          <label htmlFor={id}>
            {label}
            {marker}
          </label>
        </div>
        {problemText}
        {helpLine}
      </div>
    );
  }
  if (field.type.kind === 'list') {
    return (
      <fieldset className="field field-list" onBlur={leave} aria-describedby={describedBy}>
        <legend>
          {label}
          {marker}
        </legend>
        {helpLine}
        {problemText}
        {control}
      </fieldset>
    );
  }
  return (
    <div className="field" onBlur={leave}>
      <label htmlFor={id}>
        {label}
        {marker}
      </label>
      {helpLine}
      {control}
      {problemText}
    </div>
  );
}
