// Syntax errors in the language of the policy, not of the parser: "expected `}` to close the
// `approve` block, found `process`" instead of Chevrotain's token-type dumps, and their conversion
// (with lexing errors) to diagnostics. The parser is a synchronous singleton, so what "the end"
// means for the current input (end of file, the next declaration, the `}` of a message hole) is
// set by the caller before each parse.
import {
  EOF,
  tokenLabel,
  type ILexingError,
  type ILexingResult,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type { Span } from '../ast/types.js';
import { meant, type Suggestion } from '../diagnostics/diagnostic.js';
import { SYNTAX } from '../diagnostics/syntax-codes.js';
import { suggest } from '../diagnostics/suggest.js';
import { type BuildContext, isRealToken, report, tokenSpan } from '../ast/support.js';
import {
  Identifier,
  isKeyword,
  LCurly,
  RBracket,
  RCurly,
  RParen,
  StringLiteral,
  UnterminatedString,
} from './lexer.js';

let endDescription = 'end of file';

/** How the parser names its end of input in messages, e.g. "`process`" or "end of file". */
export function setEndDescription(text: string): void {
  endDescription = text;
}

const MAX_SHOWN = 32;

/** A token's text in backticks, long strings shortened. */
function quoted(token: IToken): string {
  const image = token.image.length > MAX_SHOWN ? `${token.image.slice(0, MAX_SHOWN - 3)}...` : token.image;
  return `\`${image}\``;
}

/** The text found, for "found ...": `x`, the string `"x"`, or what the end of input means. */
export function describeToken(token: IToken | undefined): string {
  if (!token || token.tokenType === EOF) return endDescription;
  const isString = token.tokenType === StringLiteral || token.tokenType.CATEGORIES?.includes(StringLiteral);
  return isString ? `the string ${quoted(token)}` : quoted(token);
}

const describeType = (type: TokenType): string => tokenLabel(type);

/** The block a rule's closing brace belongs to. */
const BLOCK_OF_RULE: Record<string, string> = {
  calendarDecl: 'the `calendar` block',
  processDecl: 'the `process` block',
  inputBlock: 'the `input` block',
  approveStep: 'the `approve` block',
  ifStep: 'the `if` block',
  parallelStep: 'the `parallel` block',
  branchStep: 'the `branch` block',
  skippedBlock: 'the block',
};

const CLOSES: ReadonlyMap<TokenType, string> = new Map([
  [RParen, '`(`'],
  [RBracket, '`[`'],
]);

/** What a rule expects when none of its alternatives fits, for the rules where a list would be long. */
const EXPECTED_IN_RULE: Record<string, string> = {
  declaration: 'a declaration (`policy`, `library`, `use`, `calendar`, `role`, `rule` or `process`)',
  primary: 'a value',
  numberLiteral: 'a value',
  reference: 'a value',
  approverRef: 'who: a role, `group "..."`, `person "..."` or `manager of ...`',
  duration: 'a duration such as `2 days` or `48h`',
  typeExpr: 'a type such as `text`, `money EUR` or `"low" | "high"`',
  checkStep: '`require`, `external` or `attest`',
  onFail: '`stop`, `continue flagged` or `require waiver`',
  timeoutAction: '`reject`, `approve`, `fail` or `escalate to`',
  endStep: '`approved`, `rejected` or `cancelled`',
  approveClause: 'an approval clause',
  waitStep: 'a duration or `until`',
};

function after(previous: IToken | undefined): string {
  if (!previous || previous.tokenType === EOF || Number.isNaN(previous.startOffset)) return '';
  return ` after ${describeToken(previous)}`;
}

/** "did you mean" computed while the message is built, read back by `syntaxDiagnostics`. */
const suggestionForToken = new WeakMap<IToken, Suggestion>();

/** Remembers a suggestion when a misspelt name stands where one of `expected` keywords belongs. */
function suggestKeyword(actual: IToken | undefined, expected: TokenType[]): void {
  if (!actual || actual.tokenType !== Identifier) return;
  const words = expected
    .map(describeType)
    .filter((l) => /^`[a-z]+`$/.test(l))
    .map((l) => l.slice(1, -1));
  const suggestion = meant(suggest(actual.image, words.filter(isKeyword)));
  if (suggestion.help !== undefined) suggestionForToken.set(actual, suggestion);
}

/** The distinct first tokens of the paths, as the messages name them. */
function firstTokens(paths: TokenType[][]): string[] {
  const seen = new Set<string>();
  for (const path of paths) {
    const first = path[0];
    if (first) seen.add(describeType(first));
  }
  return [...seen];
}

function listed(list: readonly string[]): string {
  if (list.length <= 1) return list[0] ?? 'something else';
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    const found = describeToken(actual);
    suggestKeyword(actual, [expected]);
    if (expected === RCurly) {
      return `expected \`}\` to close ${BLOCK_OF_RULE[ruleName] ?? 'the block'}, found ${found}`;
    }
    const opener = CLOSES.get(expected);
    if (opener) return `expected ${describeType(expected)} to close ${opener}, found ${found}`;
    if (expected === LCurly) return `expected \`{\` to open a block${after(previous)}, found ${found}`;
    return `expected ${describeType(expected)}${after(previous)}, found ${found}`;
  },

  buildNotAllInputParsedMessage({ firstRedundant, ruleName }) {
    const what = ruleName === 'expression' ? 'the expression' : 'the declaration';
    return `unexpected ${quoted(firstRedundant)} after the end of ${what}`;
  },

  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    suggestKeyword(
      actual[0],
      expectedPathsPerAlt
        .flat()
        .map((path) => path[0])
        .filter((t) => t !== undefined),
    );
    const firsts = firstTokens(expectedPathsPerAlt.flat());
    // A rule's description names its own forms; a choice of two keywords inside it (`allow
    // delegation` or `allow changes`) reads better spelt out.
    const twoWords = firsts.length <= 2 && firsts.every((f) => /^`[a-z]+`$/.test(f));
    const expected = (twoWords ? undefined : EXPECTED_IN_RULE[ruleName]) ?? listed(firsts);
    return `expected ${expected}${after(previous)}, found ${describeToken(actual[0])}`;
  },

  buildEarlyExitMessage({ expectedIterationPaths, actual, previous, ruleName }) {
    const expected = EXPECTED_IN_RULE[ruleName] ?? listed(firstTokens(expectedIterationPaths));
    return `expected ${expected}${after(previous)}, found ${describeToken(actual[0])}`;
  },
};

// ------------------------------------------------------------------------------------------------
// Conversion to diagnostics

const CODE_OF_EXCEPTION: Record<string, (typeof SYNTAX)[keyof typeof SYNTAX]> = {
  MismatchedTokenException: SYNTAX.missingToken,
  NoViableAltException: SYNTAX.noViableAlternative,
  EarlyExitException: SYNTAX.noViableAlternative,
  NotAllInputParsedException: SYNTAX.unexpectedTokens,
};

/**
 * Diagnostics for the parser's errors, one per offending token (recovery may report the same
 * spot twice). `endSpan` is where errors "at the end of input" point.
 */
export function syntaxDiagnostics(
  errors: readonly IRecognitionException[],
  ctx: BuildContext,
  endSpan: Span,
): void {
  const seen = new Set<number>();
  for (const error of errors) {
    const atEnd = !isRealToken(error.token);
    // After a first error, one "found the end" is recovery having used up the input: a cascade.
    if (atEnd && seen.size > 0) continue;
    const span = atEnd ? endSpan : tokenSpan(error.token);
    if (seen.has(span.offset)) continue;
    seen.add(span.offset);
    // The span is the misspelt token itself, so the suggestion is a fix as well.
    const suggestion = atEnd ? undefined : suggestionForToken.get(error.token);
    report(ctx, CODE_OF_EXCEPTION[error.name] ?? SYNTAX.missingToken, span, error.message, {
      help: suggestion?.help,
      fix: suggestion?.fix,
    });
  }
}

/** Lexing errors and unterminated strings; `spanOf` places an error (a hole maps it into the file). */
export function lexingDiagnostics(
  result: ILexingResult,
  ctx: BuildContext,
  spanOf: (error: ILexingError) => Span,
): void {
  for (const error of result.errors) {
    report(ctx, SYNTAX.unexpectedCharacter, spanOf(error), error.message, {
      help: error.message.endsWith('`;`') ? 'clauses and steps end without `;`' : undefined,
    });
  }
  for (const token of result.tokens) {
    if (token.tokenType === UnterminatedString) {
      report(ctx, SYNTAX.unterminatedString, tokenSpan(token), 'this string has no closing `"`', {
        help: 'strings end on the line they start; close it with `"`',
      });
    }
  }
}
