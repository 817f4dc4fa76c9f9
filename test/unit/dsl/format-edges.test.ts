// Valid but unusual inputs: declarations out of the usual order, empty blocks, comments in odd
// places, and random deletions from the fixtures that still parse. For each, the formatter must
// not throw, its output must parse to the same AST, and formatting again must change nothing.
import fc from 'fast-check';
import { format } from '../../../dsl/format/index.js';
import { parse } from '../../../dsl/parse/index.js';
import { fixtureNames, formatted, parseClean, readFixture, withoutSpans } from './format-support.js';

function expectSound(input: string): string {
  const output = formatted(input);
  expect(withoutSpans(parseClean(output))).toEqual(withoutSpans(parseClean(input)));
  expect(formatted(output)).toBe(output);
  return output;
}

describe('format on unusual input', () => {
  test.each([
    ['a `use` after a declaration', 'rule a = true\nuse "x"\n'],
    ['an `input` block after steps', 'process p { wait 1d input { a: text } wait 2d }'],
    ['an empty `input` block holding a comment', 'process p { input { # nothing\n } }'],
    ['comments before the header only', '# c\n\n\npolicy "p" version 1 effective 2026-01-01'],
    ['a library with nothing in it', 'library "l"'],
    [
      'comments between every header and its brace',
      'process p # 1\n { approve a # 2\n { } parallel # 3\n { } if x # 4\n { } else # 5\n { } }',
    ],
    ['a comment between `input` and its brace', 'process p { input # c\n { a: text } }'],
    ['comments inside a duration', 'rule r = request.a < 2 # c\n business # d\n days'],
    ['two steps on one line with a comment', 'process p { wait 1d end approved # same line\n }'],
    ['a comment inside `with evidence`', 'process p { check c: attest by a "s" with # c\n evidence }'],
    ['an explicit `any` quorum beside a veto', 'process p { approve b { any reject rejects any } }'],
    [
      'empty blocks everywhere',
      'calendar c { } process p { parallel { branch b { } } approve a { } if x { } else { } }',
    ],
    [
      'holidays split over lines around hours',
      'calendar c { holidays 2026-01-01 hours mon 09:00-10:00 holidays 2026-01-02, # x\n 2026-01-03 }',
    ],
    ['a comment inside a role union', 'role r = a, # c\n b'],
    ['nested if chains', 'process p { if a { } else if b { if c { } else { wait 1d } } }'],
    [
      'an unnamed reallocation and a named notification',
      'process p { reallocate 1 hours of skill "s" from pool "p" to project x for 1d notify n: cab: "x" }',
    ],
  ])('when the input has %s, then the output is sound', (_case, input) => {
    expectSound(input);
  });

  test('when a block is empty, then it opens and closes on one line', () => {
    expect(expectSound('process p {\n  parallel {\n  }\n}\n')).toBe('process p {\n  parallel {}\n}\n');
  });

  test('when an empty block holds only a comment, then it keeps both braces on their own lines', () => {
    expect(expectSound('process p { parallel { # why\n } }')).toBe(
      'process p {\n  parallel { # why\n  }\n}\n',
    );
  });

  test('when lines or words are deleted from a fixture and it still parses, then formatting keeps its meaning', () => {
    const texts = fixtureNames.map(readFixture);
    const mutation = fc.tuple(
      fc.constantFrom(...texts),
      fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      fc.constantFrom('\n', ' '),
    );
    let valid = 0;
    fc.assert(
      fc.property(mutation, ([text, cuts, separator]) => {
        const pieces = text.split(separator);
        for (const cut of cuts) pieces.splice(cut % pieces.length, 1);
        const input = pieces.join(separator);
        if (parse(input, 'x').diagnostics.some((d) => d.severity === 'error')) {
          expect(format(input, 'x').text).toBeNull();
          return;
        }
        valid++;
        expectSound(input);
      }),
      { numRuns: 400 },
    );
    // Not a vacuous pass: enough of the mutants were valid policies.
    expect(valid).toBeGreaterThan(50);
  });
});
