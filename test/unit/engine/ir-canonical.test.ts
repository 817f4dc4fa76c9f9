import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { canonicalJson, canonicalJsonReference, CanonicalJsonError } from '../../../engine/ir/index.js';

describe('canonicalJson', () => {
  test('when keys are inserted in any order, then they come out sorted by UTF-16 code unit', () => {
    // 'B' (0x42) < 'a' (0x61) < 'é' (0xe9) < '😀' (0xd83d...) < '\uffff': code units, not locale.
    const value = { '\uffff': 1, '😀': 2, é: 3, a: 4, B: 5 };
    expect(canonicalJson(value)).toBe('{"B":5,"a":4,"é":3,"😀":2,"\uffff":1}');
  });

  test('when nested objects and arrays are written, then there is no whitespace and arrays keep order', () => {
    const value = { z: [3, 1, { y: true, x: null }], a: { c: 'text', b: -1.5e-7 } };
    expect(canonicalJson(value)).toBe('{"a":{"b":-1.5e-7,"c":"text"},"z":[3,1,{"x":null,"y":true}]}');
  });

  test('when strings need escaping, then they are escaped as JSON.stringify does', () => {
    const text = 'quote " backslash \\ newline \n tab \t nul \u0000 lone \ud800 end';
    expect(canonicalJson({ [text]: text })).toBe(`{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
  });

  test('when a number is negative zero, then it is written as 0', () => {
    expect(canonicalJson([-0, 0])).toBe('[0,0]');
  });

  test('when an object property is undefined, then the property is omitted', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined } })).toBe('{"a":1,"c":{}}');
  });

  test('when an object has a null prototype or comes from another realm, then it is plain', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 1, a: 2 });
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
    expect(canonicalJson(runInNewContext('({ b: [1], a: {} })'))).toBe('{"a":{},"b":[1]}');
  });

  class Money {
    amount = 1;
  }

  test.each<[string, unknown, string]>([
    ['an array holds undefined', { list: [1, undefined] }, 'undefined is not a JSON value at $.list[1]'],
    [
      'an array has a hole',
      { list: Object.assign(new Array<number>(3), { 0: 1, 2: 3 }) },
      'undefined is not a JSON value at $.list[1]',
    ],
    ['the value itself is undefined', undefined, 'undefined is not a JSON value at $'],
    ['a value is NaN', { a: { b: NaN } }, 'NaN is not a JSON number at $.a.b'],
    ['a value is Infinity', [Infinity], 'Infinity is not a JSON number at $[0]'],
    ['a value is -Infinity', { 'odd key': -Infinity }, '-Infinity is not a JSON number at $["odd key"]'],
    ['a value is a function', { f: () => 1 }, 'a function is not a JSON value at $.f'],
    ['a value is a bigint', { n: 1n }, 'a bigint is not a JSON value at $.n'],
    ['a value is a symbol', { s: Symbol('s') }, 'a symbol is not a JSON value at $.s'],
    ['a value is a Date', { when: new Date(0) }, 'a Date is not a plain object at $.when'],
    ['a value is a Map', { m: new Map() }, 'a Map is not a plain object at $.m'],
    ['a value is a class instance', [new Money()], 'a Money is not a plain object at $[0]'],
    ['an object has a symbol key', { [Symbol('k')]: 1 }, 'a symbol-keyed property is not JSON at $'],
  ])('when %s, then it throws naming the place', (_case, value, message) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(`canonicalJson: ${message}`);
  });

  test('when a value contains itself, then it throws instead of recursing forever', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    expect(() => canonicalJson(loop)).toThrow('a circular reference is not JSON at $.self.back');
  });

  test('when the same object appears twice without a cycle, then it is written twice', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  test('when any JSON value is written, then the fast path gives the exact bytes of the reference writer', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalJsonReference(value));
      }),
      { numRuns: 500 },
    );
  });

  test('when an object has an own `__proto__` key, then the key is written like any other', () => {
    const value = JSON.parse('{"b":1,"__proto__":{"x":2}}') as unknown;

    expect(canonicalJson(value)).toBe('{"__proto__":{"x":2},"b":1}');
    expect(canonicalJson(value)).toBe(canonicalJsonReference(value));
  });

  test.each([
    ['a Date', { at: new Date(0) }, '$.at'],
    ['NaN', { list: [1, Number.NaN] }, '$.list[1]'],
    ['undefined in an array', { list: [undefined] }, '$.list[0]'],
    ['a Map', { m: new Map() }, '$.m'],
  ])('when %s hides inside, then the fast path does not let it through', (_what, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(` at ${path}`);
  });

  test('when any JSON value is written, then it parses back to what JSON.stringify would give', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  test('when canonical JSON is parsed and written again, then the text is identical', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
      }),
    );
  });

  test('when an object is rebuilt with its keys shuffled, then the text is identical', () => {
    const entries = fc.uniqueArray(fc.tuple(fc.string(), fc.jsonValue()), { selector: ([k]) => k });
    fc.assert(
      fc.property(entries, fc.func(fc.integer()), (pairs, rank) => {
        const shuffled = [...pairs].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1));
        expect(canonicalJson(Object.fromEntries(shuffled))).toBe(canonicalJson(Object.fromEntries(pairs)));
      }),
    );
  });
});
