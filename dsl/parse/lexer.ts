// Tokens of the Charter language. Keywords are matched before `Identifier` (with `longer_alt`, so
// `approved_by` stays a name) and longer keywords before their prefixes (`approved` before
// `approve`, `input` before `in`). Besides their own type, tokens carry categories that the parser
// uses to stay loose: `Word` (any name or keyword, for field names and path segments after `.`)
// and the `Not*Start` families, which let a block swallow stray tokens as one "junk" run instead
// of letting Chevrotain's recovery skip whole blocks.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

// ------------------------------------------------------------------------------------------------
// Categories (created first: a token's categories must exist when the token is created)

const category = (name: string, label?: string): TokenType =>
  createToken({ name, pattern: Lexer.NA, ...(label ? { label } : {}) });

/** Any identifier or keyword: field names, path segments after `.`. */
export const Word = category('Word', 'a name');
/** Tokens that cannot start a step (so a block can skip them as junk). */
export const NotStepStart = category('NotStepStart');
/** Tokens that cannot start an approval clause. */
export const NotClauseStart = category('NotClauseStart');
/** Tokens that cannot start a clause of a `monitor` block. */
export const NotMonitorClauseStart = category('NotMonitorClauseStart');
/** Tokens that cannot start a calendar line. */
export const NotCalendarStart = category('NotCalendarStart');
/** Tokens that cannot start an input field (everything but names and braces). */
export const NotFieldStart = category('NotFieldStart');
/** Every token but `{` and `}`: the content of a skipped block. */
export const NotBrace = category('NotBrace');
export const CompareOp = category('CompareOp', 'a comparison');
export const AddOp = category('AddOp', '`+` or `-`');
export const MulOp = category('MulOp', '`*` or `/`');

/** Words that start a step; also the "did you mean" candidates for a misspelt one. */
export const STEP_WORDS: readonly string[] = [
  'approve',
  'check',
  'reallocate',
  'notify',
  'wait',
  'if',
  'parallel',
  'end',
  'branch',
  'input',
];
/** Words that start a clause of an `approve` block. */
export const CLAUSE_WORDS: readonly string[] = [
  'by',
  'any',
  'all',
  'majority',
  'at',
  'not',
  'distinct',
  'within',
  'remind',
  'escalate',
  'hand',
  'on',
  'allow',
  'require',
];
/** Words that start a clause of a `monitor` block. */
export const MONITOR_CLAUSE_WORDS: readonly string[] = [
  'every',
  'where',
  'require',
  'owner',
  'within',
  'remind',
  'escalate',
  'waive',
  'health',
];
const STEP_STARTS = new Set(STEP_WORDS);
const MONITOR_CLAUSE_STARTS = new Set(MONITOR_CLAUSE_WORDS);
const CLAUSE_STARTS = new Set(CLAUSE_WORDS);
const CALENDAR_STARTS = new Set(['timezone', 'hours', 'holidays']);

/** The junk categories a token belongs to, given its keyword text (null for non-words). */
function junkCategories(keyword: string | null, isWord: boolean): TokenType[] {
  const categories = [NotBrace];
  if (keyword === null || !STEP_STARTS.has(keyword)) categories.push(NotStepStart);
  if (keyword === null || !CLAUSE_STARTS.has(keyword)) categories.push(NotClauseStart);
  if (keyword === null || !CALENDAR_STARTS.has(keyword)) categories.push(NotCalendarStart);
  if (keyword === null || !MONITOR_CLAUSE_STARTS.has(keyword)) categories.push(NotMonitorClauseStart);
  if (!isWord) categories.push(NotFieldStart);
  return categories;
}

// ------------------------------------------------------------------------------------------------
// Trivia

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v]+/,
  group: Lexer.SKIPPED,
});
/** Kept in the `comments` group so the formatter can put comments back. */
export const Comment = createToken({
  name: 'Comment',
  pattern: /#[^\r\n]*/,
  group: 'comments',
});

// ------------------------------------------------------------------------------------------------
// Names and keywords

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a name',
  categories: [Word, ...junkCategories(null, true)],
});

const KEYWORDS = [
  // header, imports, declarations
  'policy',
  'version',
  'effective',
  'owner',
  'library',
  'use',
  'calendar',
  'timezone',
  'hours',
  'holidays',
  'role',
  'group',
  'person',
  'rule',
  'because',
  'process',
  'monitor',
  'where',
  'waive',
  'health',
  'input',
  'optional',
  'list',
  'of',
  // steps
  'approve',
  'check',
  'require',
  'else',
  'external',
  'timeout',
  'retry',
  'attest',
  'by',
  'with',
  'evidence',
  'within',
  'on',
  'fail',
  'stop',
  'continue',
  'flagged',
  'waiver',
  'valid',
  'for',
  'reallocate',
  'skill',
  'from',
  'pool',
  'to',
  'project',
  'priority',
  'notify',
  'wait',
  'until',
  'if',
  'parallel',
  'failure',
  'cancel',
  'others',
  'finish',
  'branch',
  'end',
  'approved',
  'rejected',
  'cancelled',
  // approval clauses
  'at',
  'least',
  'any',
  'all',
  'majority',
  'reject',
  'rejects',
  'distinct',
  'remind',
  'every',
  'escalate',
  'hand',
  'over',
  'after',
  'allow',
  'delegation',
  'changes',
  'manager',
  'qualification',
  'grants',
  // expressions
  'and',
  'or',
  'not',
  'in',
  'true',
  'false',
  'business',
] as const;

export type Keyword = (typeof KEYWORDS)[number];

const CONTEXTUAL: ReadonlySet<Keyword> = new Set(['over', 'grants']);

function keywordToken(word: Keyword): TokenType {
  const name = word.charAt(0).toUpperCase() + word.slice(1);
  const categories = [Word, ...junkCategories(word, true)];
  if (word === 'in') categories.push(CompareOp);
  // A contextual keyword: `over` means something only after `hand`, `grants` only after an
  // attestation's statement; anywhere a name is expected it is a name (`rule over = ...` in
  // policies written before `hand over` existed keeps parsing).
  if (CONTEXTUAL.has(word)) categories.push(Identifier);
  return createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories,
    label: `\`${word}\``,
  });
}

/** Every keyword's token type, by its text: `kw.approve`. */
export const kw = Object.fromEntries(KEYWORDS.map((word) => [word, keywordToken(word)])) as Record<
  Keyword,
  TokenType
>;

/** Keywords, the longest first so that no keyword shadows a longer one it prefixes. */
const keywordsByLength = [...KEYWORDS].sort((a, b) => b.length - a.length).map((word) => kw[word]);

/** The keyword a token type stands for, or undefined. */
export const keywordOf = (type: TokenType): Keyword | undefined => KEYWORDS.find((word) => kw[word] === type);

export const isKeyword = (text: string): text is Keyword => (KEYWORDS as readonly string[]).includes(text);

// ------------------------------------------------------------------------------------------------
// Literals

const literal = (name: string, pattern: RegExp, label: string, hint?: string[]): TokenType =>
  createToken({
    name,
    pattern,
    label,
    categories: junkCategories(null, false),
    ...(hint ? { start_chars_hint: hint } : {}),
  });

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const StringLiteral = literal('StringLiteral', /"(?:[^"\\\r\n]|\\.)*"/, 'a string');
/** A string that reaches the end of its line; parsed as a string, reported by `parse`. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\.)*/,
  label: 'a string',
  categories: [StringLiteral, ...junkCategories(null, false)],
});
export const DateLiteral = literal('DateLiteral', /\d{4}-\d{2}-\d{2}/, 'a date', DIGITS);
export const TimeLiteral = literal('TimeLiteral', /\d{1,2}:\d{2}/, 'a time', DIGITS);
/** `30m`, `48h`, `5d`, `2w`; the lookahead keeps `5days` as a number and a unit word. */
export const DurationLiteral = literal(
  'DurationLiteral',
  /\d+(?:_\d+)*[mhdw](?![A-Za-z0-9_])/,
  'a duration',
  DIGITS,
);
export const NumberLiteral = literal('NumberLiteral', /\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?/, 'a number', DIGITS);

// ------------------------------------------------------------------------------------------------
// Punctuation and operators

const punct = (name: string, pattern: RegExp | string, text: string, extra: TokenType[] = []): TokenType =>
  createToken({
    name,
    pattern,
    label: `\`${text}\``,
    categories: [...extra, ...(text === '{' || text === '}' ? [] : junkCategories(null, false))],
  });

export const LCurly = punct('LCurly', '{', '{');
export const RCurly = punct('RCurly', '}', '}');
export const LParen = punct('LParen', '(', '(');
export const RParen = punct('RParen', ')', ')');
export const LBracket = punct('LBracket', '[', '[');
export const RBracket = punct('RBracket', ']', ']');
export const Comma = punct('Comma', ',', ',');
export const Dot = punct('Dot', '.', '.');
export const Colon = punct('Colon', ':', ':');
export const Pipe = punct('Pipe', '|', '|');
export const Percent = punct('Percent', '%', '%');
export const EqualEqual = punct('EqualEqual', '==', '==', [CompareOp]);
export const NotEqual = punct('NotEqual', '!=', '!=', [CompareOp]);
export const LessEqual = punct('LessEqual', '<=', '<=', [CompareOp]);
export const GreaterEqual = punct('GreaterEqual', '>=', '>=', [CompareOp]);
export const Less = punct('Less', '<', '<', [CompareOp]);
export const Greater = punct('Greater', '>', '>', [CompareOp]);
/** Only legal in declarations; accepted in expressions so the builder can say "did you mean `==`". */
export const Equals = punct('Equals', '=', '=');
export const Plus = punct('Plus', '+', '+', [AddOp]);
export const Minus = punct('Minus', '-', '-', [AddOp]);
export const Star = punct('Star', '*', '*', [MulOp]);
export const Slash = punct('Slash', '/', '/', [MulOp]);

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  DateLiteral,
  TimeLiteral,
  DurationLiteral,
  NumberLiteral,
  ...keywordsByLength,
  Identifier,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Colon,
  Pipe,
  Percent,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  // Categories are listed so the parser knows them; their NA pattern never matches.
  Word,
  NotStepStart,
  NotClauseStart,
  NotCalendarStart,
  NotMonitorClauseStart,
  NotFieldStart,
  NotBrace,
  CompareOp,
  AddOp,
  MulOp,
];

export const charterLexer = new Lexer(allTokens, {
  positionTracking: 'full',
  ensureOptimizations: false,
  errorMessageProvider: {
    buildUnexpectedCharactersMessage: (text, offset, length) =>
      `unexpected character${length > 1 ? 's' : ''} \`${text.slice(offset, offset + Math.min(length, 20))}\``,
    buildUnableToPopLexerModeMessage: () => 'unexpected end of lexer mode',
  },
});

// ------------------------------------------------------------------------------------------------
// Nesting

/** Brackets and blocks deeper than this are refused before parsing (see findTooDeep). */
export const MAX_NESTING = 64;

export const OPENERS = new Set<TokenType>([LCurly, LParen, LBracket]);
export const CLOSERS = new Set<TokenType>([RCurly, RParen, RBracket]);

/**
 * The first token that opens a bracket beyond `limit` levels, or undefined. Checked before
 * parsing because the parser (and every later phase) recurses once per level.
 */
export function findTooDeep(tokens: readonly IToken[], limit: number): IToken | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (OPENERS.has(token.tokenType)) {
      depth++;
      if (depth > limit) return token;
    } else if (CLOSERS.has(token.tokenType) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}
