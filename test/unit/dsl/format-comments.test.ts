// Where comments go. Full-line comments stay above what follows them, end-of-line comments stay
// at the end of their line, and a comment with no line of its own left (inside an expression that
// is joined onto one line) moves above its statement. None is ever lost or printed twice.
import { formatted } from './format-support.js';

const policy = (body: string): string =>
  `policy "p" version 1 effective 2026-01-01\n\nprocess p {\n${body}\n}\n`;

describe('format comments', () => {
  test('when an approval clause with comments moves to its canonical place, then its comments move with it', () => {
    const input = policy(
      '  approve a {\n    # how long\n    within 2d # business agreed\n    by x # the board\n  }',
    );
    expect(formatted(input)).toBe(
      policy('  approve a {\n    by x # the board\n    # how long\n    within 2d # business agreed\n  }'),
    );
  });

  test('when a comment sits inside an expression, then it moves above the statement', () => {
    const input = 'rule r = request.a # first\n  and request.b\n';
    expect(formatted(input)).toBe('# first\nrule r = request.a and request.b\n');
  });

  test('when a short check carries a comment between its parts, then it stays broken to keep the comment in place', () => {
    const input = policy('  check c: require request.a # why a\n    else "no"');
    expect(formatted(input)).toBe(policy('  check c:\n    require request.a # why a\n    else "no"'));
  });

  test('when a comment ends the line of a block opener or closer, then it stays there', () => {
    const input = policy('  if request.a { # opener\n    wait 1d\n  } # closer');
    expect(formatted(input)).toBe(policy('  if request.a { # opener\n    wait 1d\n  } # closer'));
  });

  test('when comments end a block, then they stay inside it, indented as its body', () => {
    const input = policy('  parallel {\n    wait 1d\n# last thought\n  }');
    expect(formatted(input)).toBe(policy('  parallel {\n    wait 1d\n    # last thought\n  }'));
  });

  test('when a block is empty but for a comment, then the comment stays inside', () => {
    const input = policy('  if request.a {\n  # nothing yet\n  }');
    expect(formatted(input)).toBe(policy('  if request.a {\n    # nothing yet\n  }'));
  });

  test('when a comment sits between `}` and `else`, then it ends the previous body', () => {
    const input = policy('  if request.a {\n    wait 1d\n  }\n  # otherwise\n  else {\n    wait 2d\n  }');
    expect(formatted(input)).toBe(
      policy('  if request.a {\n    wait 1d\n    # otherwise\n  } else {\n    wait 2d\n  }'),
    );
  });

  test('when a comment holds `#` and quotes, then its text is kept exactly, but for trailing spaces', () => {
    const input = 'rule r = "#not a comment" == "x" #  a "quoted" # comment  \n';
    expect(formatted(input)).toBe('rule r = "#not a comment" == "x" #  a "quoted" # comment\n');
  });

  test('when the file is only comments, then they are all kept with their empty lines', () => {
    expect(formatted('\n\n# one\n\n\n# two\n# three')).toBe('# one\n\n# two\n# three\n');
  });
});

describe('format comments after parentheses', () => {
  test('when a comment follows a parenthesized condition, then it still ends that line', () => {
    expect(formatted('rule r = (request.a or request.b) # why\nrule s = true\n')).toBe(
      'rule r = request.a or request.b # why\n\nrule s = true\n',
    );
    const input = policy('  check c: require (request.a) # why\n    else "no"');
    expect(formatted(input)).toBe(policy('  check c:\n    require request.a # why\n    else "no"'));
  });
});
