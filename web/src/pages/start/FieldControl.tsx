// The control for one value of a typed input field: text, number, percentage (with its % sign),
// money (amount, and the currency unless the type fixes it), duration (amount and unit), date,
// yes/no, person (directory search), one of an enum's values, or a list of rows of any of these.
// Numbers are typed as text so that what was typed stays visible until the check says what is wrong.
import type { TypeIR } from '../../../../engine/ir/types.js';
import { PersonPicker } from '../../components/PersonPicker.js';
import {
  DURATION_UNITS,
  type DurationForm,
  type DurationUnit,
  emptyValue,
  type FormPath,
  type FormValue,
  type MoneyForm,
  pathKey,
} from './form-values.js';

/** The element id of the control at `path` (a list row's control has the row in it). */
export const controlId = (path: FormPath): string => controlIdOf(pathKey(path));

/** The same from a path's key (`systems[2]` gives `in-systems-2`), for links to a problem's field. */
export const controlIdOf = (key: string): string =>
  `in-${key.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '')}`;

export const problemId = (path: FormPath): string => `${controlId(path)}-problem`;

export interface ControlProps {
  type: TypeIR;
  value: FormValue;
  onChange: (value: FormValue) => void;
  path: FormPath;
  /** What the control is called, for the labels of its parts ("Budget currency"). */
  label: string;
  /** Ids of the help and problem texts that describe the control. */
  describedBy: string | undefined;
  /** The problems shown at a path (a list asks for each of its rows). */
  problemsAt: (path: FormPath) => string[];
  required: boolean;
}

const UNIT_LABELS: Record<DurationUnit, string> = {
  minute: 'minutes',
  hour: 'hours',
  day: 'days',
  week: 'weeks',
};

export function FieldControl(props: ControlProps) {
  const { type, value, onChange, path, describedBy, problemsAt, required } = props;
  const id = controlId(path);
  const invalid = problemsAt(path).length > 0 ? true : undefined;
  const common = { id, 'aria-describedby': describedBy, 'aria-invalid': invalid, required };
  const text = typeof value === 'string' ? value : '';
  switch (type.kind) {
    case 'text':
      return <input {...common} type="text" value={text} onChange={(e) => onChange(e.target.value)} />;
    case 'number':
      return (
        <input
          {...common}
          type="text"
          inputMode="decimal"
          className="input-number"
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'percentage':
      return (
        <span className="input-affix">
          <input
            {...common}
            type="text"
            inputMode="decimal"
            className="input-number"
            value={text}
            onChange={(e) => onChange(e.target.value)}
          />
          <span className="affix" aria-hidden="true">
            %
          </span>
        </span>
      );
    case 'date':
      return <input {...common} type="date" value={text} onChange={(e) => onChange(e.target.value)} />;
    case 'boolean':
      return (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
          required={undefined}
        />
      );
    case 'person':
      return (
        <PersonPicker
          id={id}
          value={text}
          onChange={onChange}
          {...(describedBy === undefined ? {} : { describedBy })}
          invalid={invalid === true}
          required={required}
        />
      );
    case 'enum':
      return (
        <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">{required ? 'Choose…' : '(none)'}</option>
          {type.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      );
    case 'money':
      return <MoneyControl {...props} currency={type.currency} />;
    case 'duration':
      return <DurationControl {...props} />;
    case 'list':
      return <ListControl {...props} element={type.element} />;
  }
}

function MoneyControl(props: ControlProps & { currency: string | null }) {
  const { value, onChange, path, label, describedBy, problemsAt, required, currency } = props;
  const money = (
    typeof value === 'object' && !Array.isArray(value) ? value : emptyValue(props.type)
  ) as MoneyForm;
  const id = controlId(path);
  const invalid = problemsAt(path).length > 0 ? true : undefined;
  return (
    <span className="input-affix">
      <input
        id={id}
        type="text"
        inputMode="decimal"
        className="input-amount"
        aria-describedby={describedBy}
        aria-invalid={invalid}
        required={required}
        value={money.amount}
        onChange={(e) => onChange({ ...money, amount: e.target.value })}
      />
      {currency !== null ? (
        <span className="affix">{currency}</span>
      ) : (
        <>
          <label htmlFor={`${id}-currency`} className="visually-hidden">
            {label} currency
          </label>
          <input
            id={`${id}-currency`}
            type="text"
            className="input-currency"
            maxLength={3}
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="EUR"
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={money.currency}
            onChange={(e) => onChange({ ...money, currency: e.target.value.toUpperCase() })}
          />
        </>
      )}
    </span>
  );
}

function DurationControl(props: ControlProps) {
  const { value, onChange, path, label, describedBy, problemsAt, required } = props;
  const duration = (
    typeof value === 'object' && !Array.isArray(value) ? value : emptyValue(props.type)
  ) as DurationForm;
  const id = controlId(path);
  const invalid = problemsAt(path).length > 0 ? true : undefined;
  return (
    <span className="input-affix">
      <input
        id={id}
        type="text"
        inputMode="decimal"
        className="input-number"
        aria-describedby={describedBy}
        aria-invalid={invalid}
        required={required}
        value={duration.amount}
        onChange={(e) => onChange({ ...duration, amount: e.target.value })}
      />
      <label htmlFor={`${id}-unit`} className="visually-hidden">
        {label} unit
      </label>
      <select
        id={`${id}-unit`}
        value={duration.unit}
        onChange={(e) => onChange({ ...duration, unit: e.target.value as DurationUnit })}
      >
        {DURATION_UNITS.map((u) => (
          <option key={u} value={u}>
            {UNIT_LABELS[u]}
          </option>
        ))}
      </select>
    </span>
  );
}

/** Rows of the element's control, each with its own label, problems and a remove button. */
function ListControl(props: ControlProps & { element: TypeIR }) {
  const { value, onChange, path, label, problemsAt, element } = props;
  const rows = Array.isArray(value) ? value : [];
  const set = (row: number, next: FormValue): void => onChange(rows.map((r, i) => (i === row ? next : r)));
  const remove = (row: number): void => onChange(rows.filter((_, i) => i !== row));
  return (
    <div className="list-control">
      {rows.length === 0 ? <p className="field-help">No items.</p> : null}
      <ol className="list-rows">
        {rows.map((row, i) => {
          const rowPath = [...path, i];
          const rowLabel = `${label}, item ${i + 1}`;
          const problems = problemsAt(rowPath);
          return (
            <li key={i} className="list-row">
              <label htmlFor={controlId(rowPath)} className="visually-hidden">
                {rowLabel}
              </label>
              <div className="list-row-control">
                <FieldControl
                  type={element}
                  value={row}
                  onChange={(next) => set(i, next)}
                  path={rowPath}
                  label={rowLabel}
                  describedBy={problems.length > 0 ? problemId(rowPath) : undefined}
                  problemsAt={problemsAt}
                  required={false}
                />
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => remove(i)}
                  aria-label={`Remove ${rowLabel}`}
                >
                  Remove
                </button>
              </div>
              {problems.length > 0 ? (
                <p className="field-problem" id={problemId(rowPath)}>
                  {problems.join('; ')}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        id={controlId(path)}
        className="button"
        onClick={() => onChange([...rows, emptyValue(element)])}
      >
        Add {rows.length === 0 ? 'an item' : 'another item'}
        <span className="visually-hidden"> to {label}</span>
      </button>
    </div>
  );
}
