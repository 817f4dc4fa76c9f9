// Expressions (precedence, literals, references, spans) and message templates with `{holes}`.
import type { Expr, NotifyStep, Span, Template } from '../../../dsl/ast/types.js';
import { parse } from '../../../dsl/parse/index.js';

const covered = (text: string, span: Span): string => text.slice(span.offset, span.end);

/** The condition of `rule r = <source>`, and the full text. */
function expr(source: string): { e: Expr; text: string } {
  const text = `rule r = ${source}`;
  const { ast, diagnostics } = parse(text, 'expr.charter');
  expect(diagnostics).toEqual([]);
  const rule = ast.declarations[0];
  if (rule?.kind !== 'rule') throw new Error('no rule');
  return { e: rule.condition, text };
}

/** Parenthesized rendering of the tree, to read precedence at a glance. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'path':
      return e.segments.map((s) => s.name).join('.');
    case 'call':
      return `${e.callee.name}(${e.args.map(show).join(', ')})`;
    case 'list':
      return `[${e.items.map(show).join(', ')}]`;
    default:
      return e.kind;
  }
}

describe('precedence', () => {
  test.each([
    ['a or b and c', '(a or (b and c))'],
    ['not a and b', '((not a) and b)'],
    ['not a == b', '(not (a == b))'],
    ['a + b * c > d - e', '((a + (b * c)) > (d - e))'],
    ['a - b - c', '((a - b) - c)'],
    ['-a * b', '((- a) * b)'],
    ['a * (b + c)', '(a * (b + c))'],
    ['x in [a, b] or y', '((x in [a, b]) or y)'],
    ['not not a', '(not (not a))'],
    ['a - -b', '(a - (- b))'],
  ])('when `%s` is parsed, then it groups as %s', (source, expected) => {
    expect(show(expr(source).e)).toBe(expected);
  });

  test('when a binary expression is parsed, then its span runs from its left to its right operand', () => {
    const { e, text } = expr('request.a + 2 * (b)');

    expect(covered(text, e.span)).toBe('request.a + 2 * (b');
    if (e.kind !== 'binary') throw new Error('not binary');
    expect(covered(text, e.right.span)).toBe('2 * (b');
  });
});

describe('literals', () => {
  test.each<[string, Record<string, unknown>]>([
    ['42', { kind: 'number', value: 42, raw: '42' }],
    ['50_000', { kind: 'number', value: 50000, raw: '50_000' }],
    ['0.5', { kind: 'number', value: 0.5 }],
    ['50_000 EUR', { kind: 'money', amount: '50000', currency: 'EUR', raw: '50_000' }],
    // Exact: a number would make this 10^15.
    [
      '1_000_000_000_000_000.01 EUR',
      { kind: 'money', amount: '1000000000000000.01', currency: 'EUR', raw: '1_000_000_000_000_000.01' },
    ],
    ['0.50 EUR', { kind: 'money', amount: '0.5', currency: 'EUR', raw: '0.50' }],
    ['15%', { kind: 'percent', value: 15, raw: '15' }],
    ['30m', { kind: 'duration', amount: 30, unit: 'minute', business: false, calendar: null }],
    ['2w', { kind: 'duration', amount: 2, unit: 'week', business: false, calendar: null }],
    ['3 days', { kind: 'duration', amount: 3, unit: 'day', business: false, calendar: null }],
    ['1 week', { kind: 'duration', amount: 1, unit: 'week', business: false, calendar: null }],
    ['4 hours', { kind: 'duration', amount: 4, unit: 'hour', business: false, calendar: null }],
    ['90 minutes', { kind: 'duration', amount: 90, unit: 'minute', business: false, calendar: null }],
    ['2 business days', { kind: 'duration', amount: 2, unit: 'day', business: true, calendar: null }],
    ['6 business hours', { kind: 'duration', amount: 6, unit: 'hour', business: true, calendar: null }],
    ['2026-12-01', { kind: 'date', value: '2026-12-01' }],
    ['"text"', { kind: 'string', value: 'text' }],
    ['true', { kind: 'boolean', value: true }],
    ['false', { kind: 'boolean', value: false }],
    ['[]', { kind: 'list', items: [] }],
  ])('when the literal `%s` is parsed, then it is %o', (source, expected) => {
    const { e, text } = expr(source);

    expect(e).toMatchObject(expected);
    expect(covered(text, e.span)).toBe(source);
  });
});

describe('references and calls', () => {
  test('when a path has keyword segments after a dot, then they are plain names', () => {
    const { e } = expr('cab_review.approved and realloc.hours > 2 and w.until > 2026-01-01');

    expect(show(e)).toBe('((cab_review.approved and (realloc.hours > number)) and (w.until > date))');
  });

  test('when a function is called, then callee and arguments are kept with the call span', () => {
    const { e, text } = expr('contains(request.systems, "db") and count([]) == 0');

    expect(show(e)).toBe('(contains(request.systems, string) and (count([]) == number))');
    if (e.kind !== 'binary') throw new Error('not binary');
    expect(covered(text, e.left.span)).toBe('contains(request.systems, "db")');
  });

  test('when a name stands alone, then it is a one-segment path with its own span', () => {
    const { e, text } = expr('high_risk');

    expect(e).toMatchObject({ kind: 'path', segments: [{ name: 'high_risk' }] });
    if (e.kind !== 'path') throw new Error('not a path');
    expect(covered(text, e.segments[0]!.span)).toBe('high_risk');
  });
});

describe('templates', () => {
  function message(body: string): { template: Template; text: string } {
    const text = `process p {\n  notify cab: "${body}"\n}`;
    const { ast, diagnostics } = parse(text, 'template.charter');
    expect(diagnostics).toEqual([]);
    const process = ast.declarations[0];
    const step = process?.kind === 'process' ? (process.steps[0] as NotifyStep | undefined) : undefined;
    if (!step) throw new Error('no notify');
    return { template: step.message, text };
  }

  test('when a message has holes, then literal text and expressions alternate', () => {
    const { template } = message('change {request.title} by {request.requester}!');

    expect(template.parts.map((p) => (typeof p === 'string' ? p : show(p)))).toEqual([
      'change ',
      'request.title',
      ' by ',
      'request.requester',
      '!',
    ]);
  });

  test('when a hole holds an expression, then its spans point into the file', () => {
    const { template, text } = message('cost {request.budget * 2} now');
    const hole = template.parts[1];
    if (!hole || typeof hole === 'string') throw new Error('no hole');

    expect(covered(text, hole.span)).toBe('request.budget * 2');
    expect(hole.span).toMatchObject({ line: 2, col: 22, endLine: 2, endCol: 40 });
    expect(covered(text, template.span)).toBe('"cost {request.budget * 2} now"');
  });

  test('when braces are doubled, then they are literal text', () => {
    const { template } = message('{{literal}} and }} {x}');

    expect(template.parts).toMatchObject(['{literal} and } ', { kind: 'path' }]);
  });

  test('when a hole holds a string, then its quotes are written escaped', () => {
    const { template, text } = message('{lower(\\"ABC\\")}');
    const hole = template.parts[0];
    if (!hole || typeof hole === 'string') throw new Error('no hole');

    expect(hole).toMatchObject({ kind: 'call', args: [{ kind: 'string', value: 'ABC' }] });
    expect(covered(text, hole.span)).toBe('lower(\\"ABC\\")');
  });

  test('when a message escapes a quote, then the literal part holds the quote', () => {
    expect(message('say \\"hi\\"').template.parts).toEqual(['say "hi"']);
  });
});
