// What a start form holds and what it sends. Controls keep what people typed as text (an amount
// "18.000,50" stays visible until it is fixed), and the conversion to the API's input sends text
// the engine cannot read as it is, so that engine/input (the very code the API runs) names the
// problem in its own words at its own field path. Pure: no DOM, no React, unit-tested.
import { parseInput } from '../../../../engine/input/index.js';
import { decimalFromNumber, decimalText } from '../../../../engine/ir/decimal.js';
import type { DurationIR, ProcessIR, SourceSpan, TypeIR, ValueIR } from '../../../../engine/ir/types.js';

/** One field of a process's input block, as GET .../processes/{process} describes it. */
export interface FieldDescription {
  name: string;
  type: TypeIR;
  optional: boolean;
  default: ValueIR | null;
}

export type DurationUnit = DurationIR['unit'];
export const DURATION_UNITS: readonly DurationUnit[] = ['minute', 'hour', 'day', 'week'];

export interface MoneyForm {
  amount: string;
  currency: string;
}

export interface DurationForm {
  amount: string;
  unit: DurationUnit;
}

/**
 * A control's value: text for text, person, enum, date, number and percentage; a flag for boolean;
 * amount and currency (or unit) for money and duration; one value per row for a list.
 */
export type FormValue = string | boolean | MoneyForm | DurationForm | FormValue[];
export type FormValues = Record<string, FormValue>;

/** A path into the form: a field name, then row indexes of lists (`['systems', 2]`). */
export type FormPath = (string | number)[];

const NO_SPAN: SourceSpan = { file: 0, line: 0, col: 0, endLine: 0, endCol: 0 };

/** The ProcessIR that engine/input reads: it looks only at the name and the input fields. */
export function processOf(name: string, fields: readonly FieldDescription[]): ProcessIR {
  return {
    name,
    input: fields.map((f) => ({
      name: f.name,
      type: f.type,
      optional: f.optional,
      default: f.default,
      span: NO_SPAN,
    })),
    steps: [],
    span: NO_SPAN,
  };
}

export function emptyValue(type: TypeIR): FormValue {
  switch (type.kind) {
    case 'boolean':
      return false;
    case 'money':
      return { amount: '', currency: type.currency ?? '' };
    case 'duration':
      return { amount: '', unit: 'day' };
    case 'list':
      return [];
    default:
      return '';
  }
}

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/**
 * An amount of money for its control: the exact decimal text the API sends, or, from instances
 * started before amounts were exact, a number as the decimal it prints as (never `1e+21`).
 */
function amountText(value: unknown): string {
  if (typeof value === 'string') return value;
  const exact = typeof value === 'number' ? decimalFromNumber(value) : undefined;
  return exact === undefined ? '' : decimalText(exact);
}

const numberText = (value: unknown): string =>
  typeof value === 'number' && Number.isFinite(value)
    ? String(value)
    : typeof value === 'string'
      ? value
      : '';

/**
 * The control value showing `value`: a default of the input block, or a value an earlier instance
 * was started with (GET /v1/instances/{id} `input`). Anything that does not fit gives the empty
 * control: a prefill must never make a form unusable.
 */
export function formValueOf(type: TypeIR, value: unknown): FormValue {
  if (value === null || value === undefined) return emptyValue(type);
  switch (type.kind) {
    case 'boolean':
      return value === true;
    case 'number':
    case 'percentage':
      return numberText(value);
    case 'money': {
      const money = record(value);
      return money
        ? {
            amount: amountText(money['amount']),
            currency: type.currency ?? (typeof money['currency'] === 'string' ? money['currency'] : ''),
          }
        : emptyValue(type);
    }
    case 'duration': {
      const duration = record(value);
      const unit = DURATION_UNITS.find((u) => u === duration?.['unit']);
      return duration && unit ? { amount: numberText(duration['amount']), unit } : emptyValue(type);
    }
    case 'list':
      return Array.isArray(value) ? value.map((item: unknown) => formValueOf(type.element, item)) : [];
    case 'enum':
      return typeof value === 'string' && type.values.includes(value) ? value : '';
    default:
      return typeof value === 'string' ? value : '';
  }
}

/** Every field's first value: from `from` (an earlier instance's input) where it has one, else the default. */
export function initialValues(
  fields: readonly FieldDescription[],
  from: Record<string, unknown> | null = null,
): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const earlier = from && Object.hasOwn(from, field.name) ? from[field.name] : undefined;
    values[field.name] = formValueOf(field.type, earlier ?? field.default);
  }
  return values;
}

/** A list row nobody filled in: left out of what is sent, like an unset field. */
function isBlank(type: TypeIR, value: FormValue): boolean {
  if (type.kind === 'boolean') return false;
  if (type.kind === 'list') return Array.isArray(value) && value.length === 0;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value === 'object' && !Array.isArray(value)) return value.amount.trim() === '';
  return false;
}

const NUMBER = /^\s*-?\d+(?:\.\d+)?\s*$/;

/** A control value as the API takes it; undefined leaves the field (or row) out. */
function apiValue(type: TypeIR, value: FormValue, path: FormPath, rows: Map<string, number[]>): unknown {
  if (isBlank(type, value)) return undefined;
  switch (type.kind) {
    case 'boolean':
      return value === true;
    case 'number':
      // Text that is not a number goes as text: the engine says "expected a number, got "1,5"".
      return typeof value === 'string' && NUMBER.test(value) ? Number(value) : value;
    case 'percentage':
      return typeof value === 'string' && NUMBER.test(value) ? Number(value) : value;
    case 'person':
    case 'date':
      return typeof value === 'string' ? value.trim() : value;
    case 'money': {
      const { amount, currency } = value as MoneyForm;
      // "18000 EUR": the engine reads thousands separators too, and names a bad amount as typed.
      return `${amount.trim()} ${(type.currency ?? currency).trim().toUpperCase()}`.trim();
    }
    case 'duration': {
      const { amount, unit } = value as DurationForm;
      return `${amount.trim()} ${unit}${amount.trim() === '1' ? '' : 's'}`;
    }
    case 'list': {
      const items = Array.isArray(value) ? value : [];
      const sent: unknown[] = [];
      const kept: number[] = [];
      items.forEach((item, row) => {
        const converted = apiValue(type.element, item, [...path, row], rows);
        if (converted === undefined) return;
        sent.push(converted);
        kept.push(row);
      });
      rows.set(pathKey(path), kept);
      return sent;
    }
    default:
      return value;
  }
}

/** `systems[2]`: the key of a path, as engine/input's pathText writes it. */
export function pathKey(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export interface ApiInput {
  /** The `input` of POST /v1/instances. */
  input: Record<string, unknown>;
  /** The form path of a path into `input`: blank list rows were left out, so row numbers shift. */
  formPath(path: readonly (string | number)[]): FormPath;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The input to send. Fields left empty are left out (the engine then says "required" or applies
 * the default); so are fields still showing their default, because defaults are the machine's to
 * apply (a business-days default has no plain form).
 */
export function toApiInput(fields: readonly FieldDescription[], values: FormValues): ApiInput {
  const input: Record<string, unknown> = {};
  const rows = new Map<string, number[]>();
  for (const field of fields) {
    const value = values[field.name] ?? emptyValue(field.type);
    if (field.default !== null && same(value, formValueOf(field.type, field.default))) continue;
    const converted = apiValue(field.type, value, [field.name], rows);
    if (converted !== undefined) input[field.name] = converted;
  }
  return {
    input,
    formPath(path) {
      const out: FormPath = [];
      for (const part of path) {
        if (typeof part === 'number' || /^\d+$/.test(part)) {
          const sent = Number(part);
          out.push(rows.get(pathKey(out))?.[sent] ?? sent);
        } else out.push(part);
      }
      return out;
    },
  };
}

export interface FormProblem {
  /** Where the form shows it: `budget`, `systems[2]`; '' for the form as a whole. */
  key: string;
  message: string;
}

/** The problems the API would report for these values, from the same engine/input code. */
export function checkForm(
  process: ProcessIR,
  fields: readonly FieldDescription[],
  values: FormValues,
): FormProblem[] {
  const converted = toApiInput(fields, values);
  const result = parseInput(process, converted.input);
  if (result.ok) return [];
  return result.problems.map((p) => ({ key: pathKey(converted.formPath(p.path)), message: p.message }));
}

/**
 * The input path of an API problem path (`body.input.systems.2` or `body.input.systems[2]` gives
 * `['systems', '2']`); null for problems elsewhere in the request (`body.policy`).
 */
export function inputPathOf(apiPath: string): string[] | null {
  const parts = apiPath.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (parts[0] !== 'body' || parts[1] !== 'input') return null;
  return parts.slice(2).filter((p) => p !== '');
}

/** `data_classification` as a label: "Data classification". */
export function fieldLabel(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
