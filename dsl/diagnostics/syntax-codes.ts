// The codes the parser front end reports: CH1xxx for lexing and parsing, CH2xxx for structure and
// literals (checked by the CST-to-AST builder). Codes are stable and never reused: a retired code
// stays in this list, marked retired, and a new meaning always gets a new number.

export const SYNTAX = {
  unexpectedCharacter: 'CH1001',
  unterminatedString: 'CH1002',
  missingToken: 'CH1003',
  noViableAlternative: 'CH1004',
  unexpectedTokens: 'CH1005',
  nestingTooDeep: 'CH1006',
  expressionTooLong: 'CH1007',
  unclosedHole: 'CH1008',
  unmatchedBrace: 'CH1009',
  emptyHole: 'CH1010',
  /**
   * parse.ts's safety net for a bug in the parser. No policy can trigger it on purpose, so it has
   * no golden case and stays out of the catalog (the golden test demands a case per entry).
   */
  internalError: 'CH1011',
  misspeltKeyword: 'CH1012',
  assignInExpression: 'CH2001',
  invalidDate: 'CH2002',
  invalidTime: 'CH2003',
  unknownDay: 'CH2004',
  notCurrencyOrUnit: 'CH2005',
  unknownType: 'CH2006',
  duplicateClause: 'CH2007',
  percentRange: 'CH2008',
  chainedComparison: 'CH2009',
  unknownPriority: 'CH2010',
  unknownOutcome: 'CH2011',
  notWholeNumber: 'CH2012',
  notDuration: 'CH2013',
  businessUnit: 'CH2014',
  headerNotFirst: 'CH2015',
  duplicateHeader: 'CH2016',
  processInLibrary: 'CH2017',
  invalidStepId: 'CH2018',
  unknownEscape: 'CH2019',
  currencyOnNonMoney: 'CH2020',
  misplacedBlock: 'CH2021',
  invalidCurrency: 'CH2022',
  amountTooLong: 'CH2023',
  unknownHealth: 'CH2024',
} as const;

export type SyntaxCode = (typeof SYNTAX)[keyof typeof SYNTAX];

export const syntaxCodes: readonly { code: SyntaxCode; title: string; explanation: string }[] = [
  {
    code: SYNTAX.unexpectedCharacter,
    title: 'unexpected character',
    explanation:
      'A character that cannot start any word, number, string or symbol of the language, such as `@` or `;`. Remove it; comments start with `#`.',
  },
  {
    code: SYNTAX.unterminatedString,
    title: 'unterminated string',
    explanation:
      'A string opened with `"` has no closing `"` on the same line. Strings cannot span lines; write `\\"` for a quote inside a string.',
  },
  {
    code: SYNTAX.missingToken,
    title: 'expected a specific token',
    explanation:
      'The grammar requires one particular keyword or symbol here, for example the `}` that closes a block or the `:` after a check name, and something else was found.',
  },
  {
    code: SYNTAX.noViableAlternative,
    title: 'no form fits here',
    explanation:
      'Several forms may follow at this point (a value, a duration, a kind of check, who approves...) and the text found starts none of them.',
  },
  {
    code: SYNTAX.unexpectedTokens,
    title: 'unexpected text',
    explanation:
      'Text where a declaration, a step, an approval clause, a calendar line or an input field should start, or left over after a complete declaration. The whole run is skipped, so it is reported once.',
  },
  {
    code: SYNTAX.nestingTooDeep,
    title: 'nesting too deep',
    explanation:
      'Brackets, parentheses and blocks (or `list of` in a type) nest more than 64 levels deep. The declaration is not read; flatten the structure, for example with named rules.',
  },
  {
    code: SYNTAX.expressionTooLong,
    title: 'expression too long',
    explanation:
      'One expression has more than 1,000 operators. Split it into named rules; the rest of the expression is ignored.',
  },
  {
    code: SYNTAX.unclosedHole,
    title: 'unclosed `{` in a message',
    explanation:
      'A `{` in a message starts an inserted value and needs a matching `}`. Write `{{` for a literal brace.',
  },
  {
    code: SYNTAX.unmatchedBrace,
    title: 'unmatched `}` in a message',
    explanation: 'A `}` in a message that closes no `{`. Write `}}` for a literal brace.',
  },
  {
    code: SYNTAX.emptyHole,
    title: 'empty `{}` in a message',
    explanation:
      'A `{}` in a message inserts nothing. Put an expression inside, or write `{{}}` for literal braces.',
  },
  {
    code: SYNTAX.misspeltKeyword,
    title: 'misspelt keyword',
    explanation:
      'A word one or two letters away from the keyword the grammar expects there, such as `buisness days`, `on timout` or `wiat 2 days`. It is reported once, and the rest of the declaration is read as if the keyword were written, so the problems reported after it are real ones.',
  },
  {
    code: SYNTAX.assignInExpression,
    title: '`=` is not a comparison',
    explanation:
      'Inside an expression, equality is written `==`; a single `=` only introduces declarations and defaults.',
  },
  {
    code: SYNTAX.invalidDate,
    title: 'invalid date',
    explanation:
      'A date written `YYYY-MM-DD` that does not exist in the calendar, such as `2026-02-30` or `2026-13-01`.',
  },
  {
    code: SYNTAX.invalidTime,
    title: 'invalid time',
    explanation: 'A time of day must be written `HH:MM` with two-digit hours, from `00:00` to `24:00`.',
  },
  {
    code: SYNTAX.unknownDay,
    title: 'unknown day name',
    explanation: 'Days in calendar hours are `mon`, `tue`, `wed`, `thu`, `fri`, `sat` and `sun`.',
  },
  {
    code: SYNTAX.notCurrencyOrUnit,
    title: 'neither a currency nor a unit after a number',
    explanation:
      'A name after a number must be a currency code (three upper-case letters, `50_000 EUR`) or a duration unit (`3 days`, `4 hours`).',
  },
  {
    code: SYNTAX.unknownType,
    title: 'unknown type',
    explanation:
      'Input field types are `text`, `number`, `money`, `percentage`, `duration`, `date`, `boolean`, `person`, an enumeration `"a" | "b"`, or `list of <type>`.',
  },
  {
    code: SYNTAX.duplicateClause,
    title: 'clause given twice',
    explanation:
      'A clause that may appear once was given again: in an approval the quorum, `by`, `within`, `remind every`, `on timeout`, `any reject rejects` and each `allow`; a calendar `timezone`; a process `input` block.',
  },
  {
    code: SYNTAX.percentRange,
    title: 'percentage out of range',
    explanation: 'Percentages run from 0% to 100%.',
  },
  {
    code: SYNTAX.chainedComparison,
    title: 'chained comparison',
    explanation: 'Comparisons do not chain: write `a < b and b < c` instead of `a < b < c`.',
  },
  {
    code: SYNTAX.unknownPriority,
    title: 'unknown priority',
    explanation: 'A reallocation priority is `low`, `normal` or `high`.',
  },
  {
    code: SYNTAX.unknownOutcome,
    title: 'unknown outcome',
    explanation: 'A process ends `approved`, `rejected` or `cancelled`.',
  },
  {
    code: SYNTAX.notWholeNumber,
    title: 'whole number expected',
    explanation: 'Versions, quorum counts and retry counts are whole numbers, without a fraction.',
  },
  {
    code: SYNTAX.notDuration,
    title: 'not a duration',
    explanation:
      'Durations are written `30m`, `48h`, `5d`, `2w` or with a unit word: `3 days`, `2 weeks`, `4 hours`, `90 minutes`, `2 business days`.',
  },
  {
    code: SYNTAX.businessUnit,
    title: '`business` with a unit other than days or hours',
    explanation: 'Only days and hours can be business time: `2 business days`, `6 business hours`.',
  },
  {
    code: SYNTAX.headerNotFirst,
    title: 'header not first',
    explanation: 'The `policy` or `library` header opens the file: nothing but comments may come before it.',
  },
  {
    code: SYNTAX.duplicateHeader,
    title: 'second header',
    explanation: 'A file has one `policy` or `library` header.',
  },
  {
    code: SYNTAX.processInLibrary,
    title: 'process or monitor in a library',
    explanation:
      'A `library` file only shares calendars, roles and rules; processes and monitors belong in policy files.',
  },
  {
    code: SYNTAX.invalidStepId,
    title: 'invalid step id',
    explanation: 'A step id before `:` is one plain name, such as `notify heads_up: cab: "..."`.',
  },
  {
    code: SYNTAX.unknownEscape,
    title: 'unknown escape in a string',
    explanation:
      'Inside a string, `\\"` is a quote and `\\\\` a backslash; no other backslash escapes exist.',
  },
  {
    code: SYNTAX.currencyOnNonMoney,
    title: 'currency on a type other than money',
    explanation: 'Only `money` takes a currency, as in `budget: money EUR`.',
  },
  {
    code: SYNTAX.misplacedBlock,
    title: 'block in the wrong place',
    explanation:
      'An `input` block belongs directly inside a `process`; a `branch` only groups steps directly inside `parallel`.',
  },
  {
    code: SYNTAX.invalidCurrency,
    title: 'invalid currency code',
    explanation:
      'A currency after `money` is an ISO 4217 code: three upper-case letters, such as `EUR` or `USD`.',
  },
  {
    code: SYNTAX.amountTooLong,
    title: 'amount with too many digits',
    explanation:
      'Amounts of money are exact, and so bounded: at most 200 digits, at most 60 of them after the point.',
  },
  {
    code: SYNTAX.unknownHealth,
    title: 'unknown health',
    explanation:
      "A monitor's `health` clause names the health an open finding gives its project at worst: `amber` or `red` (green would change nothing).",
  },
];
