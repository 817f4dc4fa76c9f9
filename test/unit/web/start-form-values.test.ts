// The start form's values and what it sends: the conversion must give the API exactly what its
// own check (engine/input) reads, leave defaults to the machine, and put every problem, whether
// found in the browser or by the server, next to the row people see.
import { parseInput } from '../../../engine/input/index.js';
import {
  checkForm,
  type FieldDescription,
  fieldLabel,
  formValueOf,
  initialValues,
  inputPathOf,
  pathKey,
  processOf,
  toApiInput,
} from '../../../web/src/pages/start/form-values.js';

const FIELDS: FieldDescription[] = [
  { name: 'title', type: { kind: 'text' }, optional: false, default: null },
  { name: 'budget', type: { kind: 'money', currency: 'EUR' }, optional: false, default: null },
  { name: 'fee', type: { kind: 'money', currency: null }, optional: true, default: null },
  { name: 'risk', type: { kind: 'enum', values: ['low', 'high'] }, optional: false, default: 'low' },
  { name: 'go_live', type: { kind: 'date' }, optional: false, default: null },
  { name: 'urgent', type: { kind: 'boolean' }, optional: false, default: false },
  { name: 'owner', type: { kind: 'person' }, optional: false, default: null },
  { name: 'share', type: { kind: 'percentage' }, optional: false, default: 10 },
  { name: 'users', type: { kind: 'number' }, optional: true, default: null },
  { name: 'downtime', type: { kind: 'duration' }, optional: true, default: null },
  { name: 'systems', type: { kind: 'list', element: { kind: 'text' } }, optional: true, default: null },
];
const PROCESS = processOf('change', FIELDS);

const filled = () => ({
  ...initialValues(FIELDS),
  title: 'New VPN',
  budget: { amount: '18,000', currency: 'EUR' },
  go_live: '2026-05-04',
  owner: 'alice@halden.example',
});

describe('the start form values', () => {
  test('when the form starts, then defaults are filled in and the rest is empty', () => {
    expect(initialValues(FIELDS)).toMatchObject({
      title: '',
      budget: { amount: '', currency: 'EUR' },
      risk: 'low',
      urgent: false,
      share: '10',
      systems: [],
      downtime: { amount: '', unit: 'day' },
    });
  });

  test('when filled in, then the input is what the API reads, and fields showing their default are left out', () => {
    const { input } = toApiInput(FIELDS, {
      ...filled(),
      fee: { amount: '950.5', currency: 'usd' },
      users: '12',
      downtime: { amount: '4', unit: 'hour' },
      urgent: true,
      systems: ['vpn', '', 'ldap'],
    });
    expect(input).toEqual({
      title: 'New VPN',
      budget: '18,000 EUR',
      fee: '950.5 USD',
      go_live: '2026-05-04',
      urgent: true,
      owner: 'alice@halden.example',
      users: 12,
      downtime: '4 hours',
      systems: ['vpn', 'ldap'],
    });
    const parsed = parseInput(PROCESS, input);
    expect(parsed).toEqual({
      ok: true,
      values: expect.objectContaining({
        budget: { amount: '18000', currency: 'EUR' },
        fee: { amount: '950.5', currency: 'USD' },
        downtime: { amount: 4, unit: 'hour', business: false, calendar: null },
      }) as unknown,
    });
  });

  test('when an amount is typed wrong, then the check names it at the field, in the words the API uses', () => {
    const values = { ...filled(), budget: { amount: '18.000,50', currency: 'EUR' } };
    const problems = checkForm(PROCESS, FIELDS, values);
    expect(problems).toEqual([
      { key: 'budget', message: 'expected an amount of money like "80,000 EUR", got "18.000,50 EUR"' },
    ]);
    const api = parseInput(PROCESS, toApiInput(FIELDS, values).input);
    expect(api.ok ? [] : api.problems.map((p) => p.message)).toEqual(problems.map((p) => p.message));
  });

  test('when required fields are empty, then each is named as required', () => {
    const keys = checkForm(PROCESS, FIELDS, initialValues(FIELDS)).map((p) => `${p.key}: ${p.message}`);
    expect(keys).toEqual([
      'title: required (text)',
      'budget: required (money EUR)',
      'go_live: required (date)',
      'owner: required (person)',
    ]);
  });

  test('when a text is not a number, then it is sent as typed so that the problem quotes it', () => {
    const problems = checkForm(PROCESS, FIELDS, { ...filled(), users: '1,5', share: '12 %' });
    expect(problems).toEqual([{ key: 'users', message: 'expected a number, got "1,5"' }]);
    expect(toApiInput(FIELDS, { ...filled(), share: '12.5' }).input['share']).toBe(12.5);
  });

  test('when blank rows are left out, then a problem of a later row still points at the row shown', () => {
    const fields: FieldDescription[] = [
      { name: 'people', type: { kind: 'list', element: { kind: 'number' } }, optional: false, default: null },
    ];
    const values = { people: ['1', '', 'x'] };
    const converted = toApiInput(fields, values);
    expect(converted.input).toEqual({ people: [1, 'x'] });
    expect(converted.formPath(['people', 1])).toEqual(['people', 2]);
    expect(checkForm(processOf('p', fields), fields, values)).toEqual([
      { key: 'people[2]', message: 'expected a number, got "x"' },
    ]);
  });

  test("when an earlier instance's input fills the form, then sending it unchanged gives the same values", () => {
    const earlier = {
      title: 'New VPN',
      budget: { amount: '18000', currency: 'EUR' },
      risk: 'high',
      go_live: '2026-05-04',
      urgent: true,
      owner: 'alice@halden.example',
      share: 10,
      downtime: { amount: 2, unit: 'day', business: false, calendar: null },
      systems: ['vpn'],
    };
    const values = initialValues(FIELDS, earlier);
    expect(values['budget']).toEqual({ amount: '18000', currency: 'EUR' });
    const parsed = parseInput(PROCESS, toApiInput(FIELDS, values).input);
    // share equals its default: left out, and the machine applies the same 10.
    expect(parsed).toEqual({
      ok: true,
      values: Object.fromEntries(Object.entries(earlier).filter(([k]) => k !== 'share')),
    });
  });

  test('when an instance started before exact amounts fills the form, then its number shows as its decimal', () => {
    const money = { kind: 'money' as const, currency: 'EUR' };
    expect(formValueOf(money, { amount: 18000.5, currency: 'EUR' })).toEqual({
      amount: '18000.5',
      currency: 'EUR',
    });
    // Not `1e+21`, which the engine would refuse.
    expect(formValueOf(money, { amount: 1e21, currency: 'EUR' })).toEqual({
      amount: '1000000000000000000000',
      currency: 'EUR',
    });
  });

  test('when a prefill does not fit the field, then the control is empty rather than broken', () => {
    expect(formValueOf({ kind: 'enum', values: ['a'] }, 'gone')).toBe('');
    expect(formValueOf({ kind: 'money', currency: null }, 'oops')).toEqual({ amount: '', currency: '' });
    expect(formValueOf({ kind: 'duration' }, { amount: 3, unit: 'year' })).toEqual({
      amount: '',
      unit: 'day',
    });
  });

  test('when the API names a path, then it is read with dots or brackets, and only inside the input', () => {
    expect(inputPathOf('body.input.systems.2')).toEqual(['systems', '2']);
    expect(inputPathOf('body.input.systems[2]')).toEqual(['systems', '2']);
    expect(inputPathOf('body.input')).toEqual([]);
    expect(inputPathOf('body.policy')).toBeNull();
    expect(pathKey(['systems', 2])).toBe('systems[2]');
  });

  test('when a field is named in code, then its label reads as words', () => {
    expect(fieldLabel('data_classification')).toBe('Data classification');
    expect(fieldLabel('goLive')).toBe('Go live');
  });
});
