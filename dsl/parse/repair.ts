// Repairs that keep one mistake to one diagnostic. A typo where the grammar wants a keyword
// (`within 3 buisness days on berlin`, `on timout reject`, `wiat 2 days`) used to cost several
// errors and no suggestion: the loose grammar took the word for a name, failed a few tokens on,
// and the rest of the clause was reported again. So:
//
// - At the top level, a name starting a line outside any bracket, close to a declaration keyword
//   and followed by what that declaration takes next (`proces p {`, `polcy "x"`), starts that
//   declaration instead of being swallowed by the one before it.
// - Inside a declaration with syntax errors, each name near the first error that is close to a
//   keyword is tried as that keyword, and the declaration parsed again. The substitution is kept
//   when the first error moves on and there are fewer errors than before (or as many, the first
//   well past the word: see isBetter), and reported once as CH1012 with the keyword as help.
// - Failing that, the declaration is parsed without the token at the first error; if that removes
//   errors after it, they were follow-ons: the first error is kept, the rest come from that parse.
//
// Up to MAX_REPAIRS rounds per declaration. After a respelling the declaration is built from the
// repaired parse, so the checker sees what the author meant and what it reports next is real. A
// repair must make the parse better, so a name that merely looks like a keyword is left alone.
import { type IToken, type TokenType, tokenMatcher } from 'chevrotain';
import { type Diagnostic, meant } from '../diagnostics/diagnostic.js';
import { closeMatches } from '../diagnostics/suggest.js';
import { SYNTAX } from '../diagnostics/syntax-codes.js';
import { type BuildContext, report, tokenSpan } from '../ast/support.js';
import {
  Identifier,
  kw,
  type Keyword,
  LBracket,
  LCurly,
  LParen,
  RBracket,
  RCurly,
  RParen,
  StringLiteral,
} from './lexer.js';

/** Each declaration keyword and the token that follows it: a name, or a string. */
const DECLARATION_NEXT: ReadonlyMap<Keyword, TokenType> = new Map<Keyword, TokenType>([
  ['policy', StringLiteral],
  ['library', StringLiteral],
  ['use', StringLiteral],
  ['calendar', Identifier],
  ['role', Identifier],
  ['rule', Identifier],
  ['process', Identifier],
  ['monitor', Identifier],
]);
const DECLARATION_WORDS = [...DECLARATION_NEXT.keys()];

/** Keywords that can stand inside a declaration (the declaration words only start one). */
const INNER_KEYWORDS = (Object.keys(kw) as Keyword[]).filter((word) => !DECLARATION_NEXT.has(word));

/** Names tried around the first error: the token at it and this many on either side. */
const WINDOW = 3;
/** Misspelt keywords repaired in one declaration; past that, the text is more than misspelt. */
const MAX_REPAIRS = 3;
/**
 * Parses tried per declaration beyond the first. Each parses the whole declaration again, so a
 * broken declaration costs at most 1 + MAX_ATTEMPTS parses (a clean one, one).
 */
const MAX_ATTEMPTS = 8;
/** A one-letter name is no recognisable spelling of anything. */
const MIN_MISSPELT_LENGTH = 2;

const OPENERS = new Set([LCurly, LParen, LBracket]);
const CLOSERS = new Set([RCurly, RParen, RBracket]);

interface Repair {
  token: IToken;
  keyword: Keyword;
}

/** The tokens with misspelt declaration keywords that start a line at the top level replaced. */
export function repairDeclarationWords(tokens: readonly IToken[], ctx: BuildContext): IToken[] {
  let depth = 0;
  return tokens.map((token, i) => {
    if (OPENERS.has(token.tokenType)) depth++;
    else if (CLOSERS.has(token.tokenType)) depth = Math.max(0, depth - 1);
    if (depth > 0 || token.tokenType !== Identifier || !startsLine(tokens, i)) return token;
    const next = tokens[i + 1];
    const keyword = closeMatches(token.image, DECLARATION_WORDS).find((word) => {
      const follower = DECLARATION_NEXT.get(word as Keyword);
      return next !== undefined && follower !== undefined && tokenMatcher(next, follower);
    }) as Keyword | undefined;
    if (keyword === undefined) return token;
    reportRepair(ctx, { token, keyword });
    return asKeyword(token, keyword);
  });
}

const startsLine = (tokens: readonly IToken[], i: number): boolean =>
  i === 0 || (tokens[i - 1]?.endLine ?? 0) < (tokens[i]?.startLine ?? 0);

/**
 * Parses one declaration with `parseOnce`, repairing misspelt keywords as described above; the
 * diagnostics of the parse kept (and one per repair) go to `ctx`.
 */
export function parseWithRepairs<T>(
  tokens: readonly IToken[],
  ctx: BuildContext,
  parseOnce: (tokens: IToken[], ctx: BuildContext) => T,
): T {
  let attempts = 0;
  const attempt = (candidate: IToken[]): Attempt<T> | null => {
    if (attempts++ > MAX_ATTEMPTS) return null;
    const scratch: BuildContext = { file: ctx.file, spanAt: ctx.spanAt, diagnostics: [] };
    return { tokens: candidate, result: parseOnce(candidate, scratch), diagnostics: scratch.diagnostics };
  };
  let best = attempt([...tokens]) as Attempt<T>;
  const kept: Diagnostic[] = [];
  let result = best.result;
  // The parse without a stray word only says which errors were follow-ons; its declaration would
  // be a guess (`3 days` for `3 workin days`), so from then on the one built before it stays.
  let guessed = false;
  for (let round = 0; round < MAX_REPAIRS && best.diagnostics.length > 0; round++) {
    const repaired = respelt(best, attempt, ctx) ?? withoutStrayToken(best, attempt);
    if (repaired === null) break;
    kept.push(repaired.kept);
    best = repaired.attempt;
    guessed ||= repaired.guess;
    if (!guessed) result = best.result;
  }
  ctx.diagnostics.push(...kept, ...best.diagnostics);
  return result;
}

interface Attempt<T> {
  tokens: IToken[];
  result: T;
  diagnostics: Diagnostic[];
}

interface Repaired<T> {
  attempt: Attempt<T>;
  /** The diagnostic that stands for the repair. */
  kept: Diagnostic;
  /** Whether the repaired declaration is a guess rather than what the author meant. */
  guess: boolean;
}

/** The first name near the first error that, read as a keyword, moves that error on. */
function respelt<T>(
  best: Attempt<T>,
  attempt: (tokens: IToken[]) => Attempt<T> | null,
  ctx: BuildContext,
): Repaired<T> | null {
  const first = firstOffset(best.diagnostics);
  for (const i of namesNear(best.tokens, first)) {
    const token = best.tokens[i] as IToken;
    for (const keyword of closeMatches(token.image, INNER_KEYWORDS) as Keyword[]) {
      const tokens = [...best.tokens];
      tokens[i] = asKeyword(token, keyword);
      const next = attempt(tokens);
      if (next === null) return null;
      if (isBetter(next.diagnostics, best.diagnostics, best.tokens[i + 1])) {
        return { attempt: next, kept: repairDiagnostic(ctx, { token, keyword }), guess: false };
      }
    }
  }
  return null;
}

/**
 * Whether a respelling helped: the first error moves on, and there are fewer errors, or as many
 * with the first now past the word after the respelt one (`hands off` read as `hand off` only
 * moves the error one word on; `aprove x {...} wiat` read as `approve` leaves `wiat` to fix).
 */
function isBetter(
  after: readonly Diagnostic[],
  before: readonly Diagnostic[],
  next: IToken | undefined,
): boolean {
  const first = firstOffset(after);
  if (first <= firstOffset(before)) return false;
  return (
    after.length < before.length ||
    (after.length === before.length && first > (next?.startOffset ?? Infinity))
  );
}

/**
 * Follow-on errors of a stray word (`within 3 workin days on berlin`: `workin` is no unit, so
 * `days` and `on berlin` were misread too): when the declaration without the token at the first
 * error has fewer errors after it, the first error is kept and the rest come from that parse.
 */
function withoutStrayToken<T>(
  best: Attempt<T>,
  attempt: (tokens: IToken[]) => Attempt<T> | null,
): Repaired<T> | null {
  const first = firstOffset(best.diagnostics);
  const at = best.tokens.findIndex((t) => t.startOffset === first);
  const cause = best.diagnostics.find((d) => d.span.offset === first);
  if (at === -1 || cause === undefined) return null;
  const next = attempt(best.tokens.filter((_, i) => i !== at));
  if (next === null) return null;
  const removesFollowOns = next.diagnostics.length + 1 < best.diagnostics.length;
  return removesFollowOns && firstOffset(next.diagnostics) > first
    ? { attempt: next, kept: cause, guess: true }
    : null;
}

/** Where the first diagnostic starts; past everything when there is none. */
const firstOffset = (diagnostics: readonly Diagnostic[]): number =>
  diagnostics.reduce((min, d) => Math.min(min, d.span.offset), Infinity);

/** Indexes of names near `offset`, nearest first (at it, then before, then after). */
function namesNear(tokens: readonly IToken[], offset: number): number[] {
  let at = tokens.findIndex((t) => t.startOffset >= offset);
  if (at === -1) at = tokens.length;
  const found: number[] = [];
  for (let distance = 0; distance <= WINDOW; distance++) {
    for (const i of distance === 0 ? [at] : [at - distance, at + distance]) {
      const token = tokens[i];
      if (token?.tokenType === Identifier && token.image.length >= MIN_MISSPELT_LENGTH) found.push(i);
    }
  }
  return found;
}

/** The same text position, lexed as `keyword` (with its text, so the AST holds the keyword). */
function asKeyword(token: IToken, keyword: Keyword): IToken {
  const type = kw[keyword];
  return { ...token, image: keyword, tokenType: type, tokenTypeIdx: type.tokenTypeIdx ?? 0 };
}

function reportRepair(ctx: BuildContext, repair: Repair): void {
  ctx.diagnostics.push(repairDiagnostic(ctx, repair));
}

function repairDiagnostic(ctx: BuildContext, { token, keyword }: Repair): Diagnostic {
  const scratch: BuildContext = { file: ctx.file, spanAt: ctx.spanAt, diagnostics: [] };
  const message = `misspelt keyword \`${token.image}\``;
  report(scratch, SYNTAX.misspeltKeyword, tokenSpan(token), message, meant(keyword));
  return scratch.diagnostics[0] as Diagnostic;
}
