// The lexer: which text becomes which token, where keywords end and names begin, and the
// pre-parse nesting scan.
import { tokenMatcher, type IToken } from 'chevrotain';
import {
  charterLexer,
  CompareOp,
  DateLiteral,
  DurationLiteral,
  findTooDeep,
  Identifier,
  kw,
  MAX_NESTING,
  NotStepStart,
  NumberLiteral,
  StringLiteral,
  TimeLiteral,
  UnterminatedString,
  Word,
} from '../../../dsl/parse/lexer.js';

const lex = (text: string) => charterLexer.tokenize(text);
const kinds = (text: string): string[] => lex(text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe('keywords and names', () => {
  test('when a keyword prefixes a longer name, then the name wins', () => {
    expect(kinds('approved_by inputs index ending')).toEqual([
      'Identifier:approved_by',
      'Identifier:inputs',
      'Identifier:index',
      'Identifier:ending',
    ]);
  });

  test('when a keyword is a prefix of another keyword, then the longer keyword is matched', () => {
    expect(kinds('approve approved in input reject rejects rejected')).toEqual([
      'Approve:approve',
      'Approved:approved',
      'In:in',
      'Input:input',
      'Reject:reject',
      'Rejects:rejects',
      'Rejected:rejected',
    ]);
  });

  test('when `hand over` is written, then both words are keywords, and names they start stay names', () => {
    expect(kinds('hand over handover overtime hands others')).toEqual([
      'Hand:hand',
      'Over:over',
      'Identifier:handover',
      'Identifier:overtime',
      'Identifier:hands',
      'Others:others',
    ]);
  });

  test('when keywords differ only in case, then they are names', () => {
    expect(lex('Approve PROCESS').tokens.map((t) => t.tokenType)).toEqual([Identifier, Identifier]);
  });

  test('when a token is a name or a keyword, then it matches the Word category', () => {
    const [name, keyword, number] = lex('budget hours 3').tokens;

    expect(tokenMatcher(name as IToken, Word)).toBe(true);
    expect(tokenMatcher(keyword as IToken, Word)).toBe(true);
    expect(tokenMatcher(number as IToken, Word)).toBe(false);
  });

  test('when `in` and `<=` are lexed, then both are comparisons and neither starts a step', () => {
    const tokens = lex('in <=').tokens;

    expect(tokens.every((t) => tokenMatcher(t, CompareOp))).toBe(true);
    expect(tokens.every((t) => tokenMatcher(t, NotStepStart))).toBe(true);
    expect(tokenMatcher(lex('approve').tokens[0] as IToken, NotStepStart)).toBe(false);
  });
});

describe('literals', () => {
  test('when durations are written with a letter, then each is one token', () => {
    expect(lex('30m 48h 5d 2w 1_000h').tokens.map((t) => t.tokenType)).toEqual(
      Array(5).fill(DurationLiteral),
    );
  });

  test('when a number runs into a word, then it stays a number followed by a name', () => {
    expect(kinds('5days 50_000EUR')).toEqual([
      'NumberLiteral:5',
      'Identifier:days',
      'NumberLiteral:50_000',
      'Identifier:EUR',
    ]);
  });

  test('when dates, times and numbers are lexed, then dates and times are not split into numbers', () => {
    expect(kinds('2026-12-01 09:00 9:30 50_000 0.5 42')).toEqual([
      'DateLiteral:2026-12-01',
      'TimeLiteral:09:00',
      'TimeLiteral:9:30',
      'NumberLiteral:50_000',
      'NumberLiteral:0.5',
      'NumberLiteral:42',
    ]);
  });

  test('when a time range is lexed, then the dash between the times is a minus', () => {
    expect(kinds('09:00-17:00')).toEqual(['TimeLiteral:09:00', 'Minus:-', 'TimeLiteral:17:00']);
  });

  test('when a string holds an escaped quote, then it is one string token', () => {
    const [token] = lex('"say \\"hi\\"" x').tokens;

    expect(token?.tokenType).toBe(StringLiteral);
    expect(token?.image).toBe('"say \\"hi\\""');
  });

  test('when a string is not closed on its line, then it is an unterminated string that still counts as a string', () => {
    const { tokens } = lex('"open\nrule');

    expect(tokens.map((t) => t.tokenType)).toEqual([UnterminatedString, kw.rule]);
    expect(tokenMatcher(tokens[0] as IToken, StringLiteral)).toBe(true);
  });

  test('when the lexer sees the literal kinds, then their types are distinct', () => {
    expect(lex('"a" 2026-01-01 10:00 3h 7').tokens.map((t) => t.tokenType)).toEqual([
      StringLiteral,
      DateLiteral,
      TimeLiteral,
      DurationLiteral,
      NumberLiteral,
    ]);
  });
});

describe('comments and errors', () => {
  test('when a line has a comment, then it goes to the comments group with its position', () => {
    const result = lex('role a = b # who decides\nrule');
    const [comment] = result.groups['comments'] ?? [];

    expect(comment?.image).toBe('# who decides');
    expect(comment?.startLine).toBe(1);
    expect(comment?.startColumn).toBe(12);
    expect(result.tokens.map((t) => t.image)).toEqual(['role', 'a', '=', 'b', 'rule']);
  });

  test('when a character belongs to no token, then an error names it and lexing goes on', () => {
    const result = lex('a @ b');

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toBe('unexpected character `@`');
    expect(result.errors[0]?.offset).toBe(2);
    expect(result.tokens.map((t) => t.image)).toEqual(['a', 'b']);
  });
});

describe('findTooDeep', () => {
  test('when brackets nest exactly to the limit, then nothing is too deep', () => {
    const text = '('.repeat(MAX_NESTING) + ')'.repeat(MAX_NESTING);

    expect(findTooDeep(lex(text).tokens, MAX_NESTING)).toBeUndefined();
  });

  test('when mixed brackets go one past the limit, then the first opener past it is returned', () => {
    const text = '{['.repeat(MAX_NESTING / 2) + '(' + ')';
    const token = findTooDeep(lex(text).tokens, MAX_NESTING);

    expect(token?.image).toBe('(');
    expect(token?.startOffset).toBe(MAX_NESTING);
  });

  test('when brackets close before opening again, then depth does not accumulate', () => {
    const text = '(a) '.repeat(MAX_NESTING * 2);

    expect(findTooDeep(lex(text).tokens, 1)).toBeUndefined();
  });
});
