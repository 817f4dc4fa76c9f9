// `parse` never throws, never hangs and never overflows the stack, whatever the input: random
// text, random sequences of real tokens, mutilated valid policies, pathological nesting and
// chains, and a 10 MB file. Every diagnostic it returns is well-formed.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { PolicyFile, Span } from '../../../dsl/ast/types.js';
import type { Diagnostic } from '../../../dsl/diagnostics/diagnostic.js';
import { parse } from '../../../dsl/parse/index.js';

const example = ((): string => {
  const match = /```charter\n([\s\S]*?)```/.exec(readFileSync('dsl/LANGUAGE.md', 'utf8'));
  if (!match?.[1]) throw new Error('no charter example in LANGUAGE.md');
  return match[1];
})();

const validSpan = (span: Span, length: number): boolean =>
  span.offset >= 0 &&
  span.offset <= span.end &&
  span.end <= length &&
  span.line >= 1 &&
  span.col >= 1 &&
  span.endLine >= span.line;

/** Every `span` anywhere in the AST, found by walking it iteratively (the AST may be deep). */
function astSpans(ast: PolicyFile): Span[] {
  const spans: Span[] = [];
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'span' || key === 'veto' || key === 'allowDelegation' || key === 'allowChanges') {
        if (child) spans.push(child as Span);
      } else stack.push(child);
    }
  }
  return spans;
}

/** The contract of `parse` on any input. */
function expectWellFormed(text: string): Diagnostic[] {
  const { ast, diagnostics } = parse(text, 'fuzz.charter');
  expect(ast.kind).toBe('file');
  for (const d of diagnostics) {
    expect(d.code).not.toBe('CH1011');
    expect(d.code).toMatch(/^CH[12]\d{3}$/);
    expect(d.file).toBe('fuzz.charter');
    expect(d.message).toMatch(/^[^A-Z].*[^.]$/s);
    expect(validSpan(d.span, text.length)).toBe(true);
  }
  const offsets = diagnostics.map((d) => d.span.offset);
  expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  for (const span of astSpans(ast)) expect(validSpan(span, text.length)).toBe(true);
  return diagnostics;
}

const WORDS = [
  ...'policy version effective owner library use calendar timezone hours holidays role group person rule because process input optional list of check require else external timeout retry attest by with evidence within on fail stop continue flagged waiver valid for reallocate skill from pool to project priority notify wait until if parallel failure cancel others finish branch end approved rejected cancelled approve at least any all majority reject rejects distinct remind every escalate after allow delegation changes manager and or not in true false business'.split(
    ' ',
  ),
  'x',
  'request',
  'cab',
  'EUR',
  'days',
  'text',
  'mon',
  'high',
  '"s"',
  '"a {request.x} b"',
  '"{"',
  '"}"',
  '"unterminated',
  '2026-01-01',
  '2026-02-30',
  '09:00',
  '25:00',
  '3h',
  '5',
  '0.5',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  ':',
  '|',
  '%',
  '==',
  '=',
  '!=',
  '<',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '# comment\n',
  '\n',
  '@',
];

describe('parse never throws', () => {
  test('when the input is random text, then parse returns well-formed diagnostics', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expectWellFormed(text);
      }),
      { numRuns: 300 },
    );
  });

  test('when the input is a random sequence of real tokens, then parse returns well-formed diagnostics', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 120 }), (words) => {
        expectWellFormed(words.join(' '));
      }),
      { numRuns: 500 },
    );
  });

  test('when a valid policy is cut, spliced and duplicated at random, then parse returns well-formed diagnostics', () => {
    const length = example.length;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(length), fc.nat(length), fc.nat(length)), { minLength: 1, maxLength: 4 }),
        (edits) => {
          let text = example;
          for (const [a, b, at] of edits) {
            const [from, to] = a < b ? [a, b] : [b, a];
            const piece = text.slice(from, Math.min(to, from + 200));
            const cut = text.slice(0, from) + text.slice(Math.min(to, from + 40));
            text = cut.slice(0, at) + piece + cut.slice(at);
          }
          expectWellFormed(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('when the input is the valid example, then the contract holds with no diagnostics', () => {
    expect(expectWellFormed(example)).toEqual([]);
  });
});

describe('pathological nesting and length', () => {
  const DEEP = 10_000;

  test.each([
    ['parentheses', `rule r = ${'('.repeat(DEEP)}a${')'.repeat(DEEP)}`],
    ['unclosed brackets', `rule r = ${'['.repeat(DEEP)}`],
    ['nested ifs', `process p { ${'if x { '.repeat(DEEP)}${'} '.repeat(DEEP)}}`],
    ['nested braces', `process p ${'{'.repeat(DEEP)}`],
    ['parentheses in a message hole', `process p { notify cab: "{${'('.repeat(DEEP)}x}" }`],
  ])('when %s nest 10,000 deep, then one CH1006 diagnostic is the only result', (_name, text) => {
    const diagnostics = expectWellFormed(text);

    expect(diagnostics.map((d) => d.code)).toEqual(['CH1006']);
  });

  test('when braces open 10,000 deep before any declaration, then one CH1005 covers them', () => {
    expect(expectWellFormed('{'.repeat(DEEP)).map((d) => d.code)).toEqual(['CH1005']);
  });

  test.each([
    ['`not` prefixes', `rule r = ${'not '.repeat(DEEP)}a`],
    ['unary minus prefixes', `rule r = ${'- '.repeat(DEEP)}a`],
    ['`and` operators', `rule r = a${' and a'.repeat(DEEP)}`],
    ['`+` operators', `rule r = a${' + a'.repeat(DEEP)}`],
    ['operators in a message hole', `process p { notify cab: "{a${' * a'.repeat(DEEP)}}" }`],
  ])('when an expression has 10,000 %s, then one CH1007 diagnostic is the only result', (_name, text) => {
    expect(expectWellFormed(text).map((d) => d.code)).toEqual(['CH1007']);
  });

  test('when comparisons chain 10,000 times, then one CH2009 is the only result', () => {
    expect(expectWellFormed(`rule r = a${' < a'.repeat(DEEP)}`).map((d) => d.code)).toEqual(['CH2009']);
  });

  test('when `list of` repeats 10,000 times, then one CH1006 points at the first `list` past the limit', () => {
    const text = `process p { input { x: ${'list of '.repeat(DEEP)}text } }`;
    const diagnostics = expectWellFormed(text);

    expect(diagnostics.map((d) => d.code)).toEqual(['CH1006']);
    expect(diagnostics[0]!.span.offset).toBe(text.indexOf('list') + 64 * 'list of '.length);
  });

  test('when `list of` repeats 64 times, then the type is built', () => {
    const text = `process p { input { x: ${'list of '.repeat(64)}text } }`;
    const { ast, diagnostics } = parse(text, 'deep.charter');
    let depth = 0;
    const process = ast.declarations[0];
    let type = process?.kind === 'process' ? process.input[0]?.type : undefined;
    while (type?.kind === 'list') {
      depth++;
      type = type.element;
    }

    expect(diagnostics).toEqual([]);
    expect(depth).toBe(64);
  });

  test('when an if has 10,000 else-if branches, then all are built', () => {
    const text = `process p { if a { }${' else if a { }'.repeat(DEEP)} }`;
    const { ast, diagnostics } = parse(text, 'long.charter');
    const process = ast.declarations[0];
    const step = process?.kind === 'process' ? process.steps[0] : undefined;

    expect(diagnostics).toEqual([]);
    expect(step?.kind === 'if' && step.branches.length).toBe(DEEP + 1);
  });

  test('when a block holds 100,000 stray tokens, then one CH1005 reports the run', () => {
    expect(expectWellFormed(`process p { ${'x '.repeat(100_000)}}`).map((d) => d.code)).toEqual(['CH1005']);
  });
});

describe('large files', () => {
  test('when a valid file of 10 MB is parsed, then every process is built with no diagnostics', () => {
    const start = example.indexOf('process change_request');
    const head = example.slice(0, start);
    const body = example.slice(start);
    const parts = [head];
    let size = head.length;
    let count = 0;
    while (size < 10 * 1024 * 1024) {
      const process = body.replace('change_request', `change_request_${count++}`);
      parts.push(process);
      size += process.length;
    }
    const { ast, diagnostics } = parse(parts.join('\n'), 'big.charter');

    expect(diagnostics).toEqual([]);
    expect(ast.declarations.filter((d) => d.kind === 'process')).toHaveLength(count);
  }, 180_000);
});
