// The parser on valid policies: the full example of LANGUAGE.md, each declaration form, and the
// spans the AST keeps (asserted by the source text they cover).
import { readFileSync } from 'node:fs';
import type {
  CalendarDecl,
  PolicyFile,
  ProcessDecl,
  RoleDecl,
  Span,
  TypeExpr,
} from '../../../dsl/ast/types.js';
import { parse } from '../../../dsl/parse/index.js';

const languageExample = (): string => {
  const match = /```charter\n([\s\S]*?)```/.exec(readFileSync('dsl/LANGUAGE.md', 'utf8'));
  if (!match?.[1]) throw new Error('no charter example in LANGUAGE.md');
  return match[1];
};

function parseClean(text: string): PolicyFile {
  const { ast, diagnostics } = parse(text, 'test.charter');
  expect(diagnostics).toEqual([]);
  return ast;
}

const covered = (text: string, span: Span): string => text.slice(span.offset, span.end);

function only<T extends PolicyFile['declarations'][number]['kind']>(
  ast: PolicyFile,
  kind: T,
): Extract<PolicyFile['declarations'][number], { kind: T }> {
  const [declaration] = ast.declarations;
  if (declaration?.kind !== kind) throw new Error(`expected one ${kind}, got ${declaration?.kind}`);
  return declaration as Extract<PolicyFile['declarations'][number], { kind: T }>;
}

describe('the language example', () => {
  test('when the example of LANGUAGE.md is parsed, then there are no diagnostics and every declaration is built', () => {
    const ast = parseClean(languageExample());

    expect(ast.header).toMatchObject({
      kind: 'policy',
      name: { value: 'IT change management' },
      version: { value: 3 },
    });
    expect(ast.uses.map((u) => u.path.value)).toEqual(['shared/org.charter']);
    expect(ast.declarations.map((d) => `${d.kind} ${d.name.name}`)).toEqual([
      'calendar office',
      'role cab',
      'role it_director',
      'role security',
      'role pmo_lead',
      'rule high_risk',
      'process change_request',
    ]);
    expect(ast.comments.map((c) => c.text)).toEqual([' roles and calendars shared by every policy']);
  });

  test('when the example is parsed, then the process has its input fields and top-level steps in order', () => {
    const process = parseClean(languageExample()).declarations.find(
      (d): d is ProcessDecl => d.kind === 'process',
    );

    expect(process?.input.map((f) => f.name.name)).toEqual([
      'title',
      'project',
      'risk',
      'budget',
      'downtime',
      'requester',
      'window',
      'systems',
      'share',
    ]);
    expect(process?.steps.map((s) => s.kind)).toEqual([
      'check',
      'if',
      'parallel',
      'if',
      'wait',
      'notify',
      'end',
    ]);
  });
});

describe('header, imports and the file', () => {
  test('when a policy header is parsed, then every part keeps its value and span', () => {
    const text = 'policy "IT" version 3 effective 2026-12-01\nowner "pmo@example.com"\n';
    const header = parseClean(text).header;

    expect(header).toMatchObject({
      kind: 'policy',
      name: { value: 'IT' },
      version: { value: 3, raw: '3' },
      effective: { value: '2026-12-01' },
      owner: { value: 'pmo@example.com' },
    });
    expect(covered(text, header!.span)).toBe(
      'policy "IT" version 3 effective 2026-12-01\nowner "pmo@example.com"',
    );
    expect(header!.span).toMatchObject({ line: 1, col: 1, endLine: 2, endCol: 24 });
  });

  test('when a library header and a use are parsed, then the file holds both', () => {
    const ast = parseClean('library "shared"\nuse "org.charter"\n');

    expect(ast.header).toMatchObject({ kind: 'library', name: { value: 'shared' } });
    expect(ast.uses).toHaveLength(1);
    expect(ast.uses[0]?.path.value).toBe('org.charter');
  });

  test('when a file has a comment, then the comment text excludes `#` and its span covers it', () => {
    const text = 'rule r = true # always\n';
    const ast = parseClean(text);

    expect(ast.comments).toEqual([
      { text: ' always', span: expect.objectContaining({ line: 1, col: 15 }) as Span },
    ]);
    expect(covered(text, ast.comments[0]!.span)).toBe('# always');
  });

  test('when a file is empty, then the AST is an empty file spanning nothing', () => {
    const ast = parseClean('');

    expect(ast).toMatchObject({ kind: 'file', header: null, uses: [], declarations: [], comments: [] });
    expect(ast.span).toMatchObject({ offset: 0, end: 0, line: 1, col: 1 });
  });

  test('when a string escapes a quote and a backslash, then the value holds them unescaped', () => {
    const ast = parseClean('library "say \\"hi\\" \\\\ bye"');

    expect(ast.header?.name.value).toBe('say "hi" \\ bye');
  });
});

describe('calendars and roles', () => {
  test('when a calendar has hours with ranges and lists, then each line keeps its days and times', () => {
    const text = `calendar office {
  timezone "Europe/Berlin"
  hours mon-fri 09:00-17:00
  hours sat, sun 10:00-12:00
  holidays 2026-12-24, 2026-12-25
}`;
    const calendar: CalendarDecl = only(parseClean(text), 'calendar');

    expect(calendar.timezone?.value).toBe('Europe/Berlin');
    expect(calendar.hours.map((h) => [h.days.map((d) => [d.from, d.to]), h.from.value, h.to.value])).toEqual([
      [[['mon', 'fri']], '09:00', '17:00'],
      [
        [
          ['sat', null],
          ['sun', null],
        ],
        '10:00',
        '12:00',
      ],
    ]);
    expect(calendar.holidays.map((d) => d.value)).toEqual(['2026-12-24', '2026-12-25']);
    expect(covered(text, calendar.hours[0]!.span)).toBe('hours mon-fri 09:00-17:00');
    expect(covered(text, calendar.hours[0]!.days[0]!.span)).toBe('mon-fri');
  });

  test('when a role is a union, then every member keeps its kind', () => {
    const role: RoleDecl = only(
      parseClean('role approvers = cab, group "g", person "p@x", manager of request.requester, x.y'),
      'role',
    );

    expect(role.members.map((m) => m.kind)).toEqual(['role', 'group', 'person', 'managerOf', 'path']);
  });

  test('when a rule has a reason, then the condition and reason are kept', () => {
    const text = 'rule big = request.budget > 50_000 EUR because "costly"';
    const rule = only(parseClean(text), 'rule');

    expect(rule.because?.value).toBe('costly');
    expect(covered(text, rule.condition.span)).toBe('request.budget > 50_000 EUR');
    expect(covered(text, rule.span)).toBe(text);
  });
});

describe('input schemas', () => {
  const typeOf = (source: string): TypeExpr => {
    const process = only(parseClean(`process p { input { x: ${source} } }`), 'process');
    const field = process.input[0];
    if (!field) throw new Error('no field');
    return field.type;
  };

  test.each([
    ['text', { kind: 'simple', name: 'text', currency: null }],
    ['money', { kind: 'simple', name: 'money', currency: null }],
    ['money EUR', { kind: 'simple', name: 'money', currency: { name: 'EUR' } }],
    ['person', { kind: 'simple', name: 'person', currency: null }],
    ['"low" | "high"', { kind: 'enum', values: [{ value: 'low' }, { value: 'high' }] }],
    [
      'list of list of date',
      { kind: 'list', element: { kind: 'list', element: { kind: 'simple', name: 'date' } } },
    ],
  ])('when a field is typed `%s`, then the type is built', (source, expected) => {
    expect(typeOf(source)).toMatchObject(expected);
  });

  test('when fields have defaults and `optional`, then each keeps what was written', () => {
    const text = `process p {
  input {
    a: number = 5
    days: text optional
    priority: percentage = 10%
    b: money EUR
    c: text
  }
}`;
    const fields = only(parseClean(text), 'process').input;

    expect(fields.map((f) => [f.name.name, f.optional, f.default?.kind ?? null])).toEqual([
      ['a', false, 'number'],
      ['days', true, null],
      ['priority', false, 'percent'],
      ['b', false, null],
      ['c', false, null],
    ]);
    expect(covered(text, fields[3]!.type.span)).toBe('money EUR');
  });
});
