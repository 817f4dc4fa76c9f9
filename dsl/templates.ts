// Messages with `{expression}` holes (notify, `else`, `on timeout ... "msg"`, `on fail stop "msg"`,
// `end ... "msg"`). Each hole is lexed and parsed on its own with the shared lexer and parser, and
// its tokens are shifted to where the hole sits in the file, so an error inside a hole points at
// the right column. Braces follow Rust's `format!`: `{{` and `}}` are literal braces, a lone `}`
// is an error. A string cannot span lines, so a hole never does either.
import type { IToken } from 'chevrotain';
import type { Expr, Span, Template } from './ast/types.js';
import { SYNTAX } from './diagnostics/syntax-codes.js';
import { charterLexer, findTooDeep, MAX_NESTING } from './parse/lexer.js';
import { parser } from './parse/parser.js';
import { lexingDiagnostics, setEndDescription, syntaxDiagnostics } from './parse/errors.js';
import { buildExpression } from './ast/expr.js';
import { spanInToken, stringContent, unescapeString } from './ast/literals.js';
import { type BuildContext, report, tokenSpan } from './ast/support.js';

/** The template of a message string token. */
export function buildTemplate(token: IToken, ctx: BuildContext): Template {
  const raw = stringContent(token);
  // Offsets below are within `raw`; +1 skips the opening quote within the token.
  const at = (from: number, to: number): Span => spanInToken(token, from + 1, to + 1);
  const parts: (string | Expr)[] = [];
  let literal = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw.charAt(i);
    const next = raw.charAt(i + 1);
    if (c === '\\') {
      literal += unescapeString(raw.slice(i, i + 2), token, ctx, i + 1);
      i += 2;
    } else if ((c === '{' && next === '{') || (c === '}' && next === '}')) {
      literal += c;
      i += 2;
    } else if (c === '}') {
      report(ctx, SYNTAX.unmatchedBrace, at(i, i + 1), 'unmatched `}` in a message', {
        help: 'write `}}` for a literal brace',
      });
      literal += c;
      i++;
    } else if (c === '{') {
      const close = raw.indexOf('}', i + 1);
      if (close === -1) {
        report(ctx, SYNTAX.unclosedHole, at(i, i + 1), 'this `{` in a message is never closed', {
          help: 'close the inserted value with `}`, or write `{{` for a literal brace',
        });
        literal += raw.slice(i);
        break;
      }
      const hole = raw.slice(i + 1, close);
      if (hole.trim() === '') {
        report(ctx, SYNTAX.emptyHole, at(i, close + 1), 'empty `{}` in a message', {
          help: 'put a value inside, such as `{request.title}`, or write `{{}}` for literal braces',
        });
      } else {
        if (literal) parts.push(literal);
        literal = '';
        const expr = parseHole(hole, token, i + 2, ctx, at(close, close + 1));
        if (expr) parts.push(expr);
      }
      i = close + 1;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal) parts.push(literal);
  return { kind: 'template', parts, span: tokenSpan(token) };
}

/**
 * Parses one hole. `start` is the hole's offset within the string token's image; `closeSpan` is
 * its `}`, where "found the end" errors point.
 */
function parseHole(
  text: string,
  token: IToken,
  start: number,
  ctx: BuildContext,
  closeSpan: Span,
): Expr | null {
  const { clean, origin } = unescapeQuotes(text);
  const lexed = charterLexer.tokenize(clean);
  const base = tokenSpan(token);
  for (const t of lexed.tokens) shiftToken(t, base, start, origin);
  lexingDiagnostics(lexed, ctx, (error) => {
    const from = origin[error.offset] ?? 0;
    return spanInToken(token, start + from, start + (origin[error.offset + error.length] ?? from + 1));
  });

  const tooDeep = findTooDeep(lexed.tokens, MAX_NESTING);
  if (tooDeep) {
    report(
      ctx,
      SYNTAX.nestingTooDeep,
      tokenSpan(tooDeep),
      `brackets nest more than ${MAX_NESTING} levels deep`,
      {
        help: 'flatten the expression, for example with named rules',
      },
    );
    return null;
  }
  setEndDescription('`}`');
  parser.input = lexed.tokens;
  const cst = parser.expression();
  syntaxDiagnostics(parser.errors, ctx, closeSpan);
  return buildExpression(cst, ctx);
}

/**
 * Inside a hole, a string literal's quotes are written `\"` (the message is itself a string).
 * Drops those backslashes; `origin[i]` is where character i of the result stands in `text`
 * (one extra entry for the end).
 */
function unescapeQuotes(text: string): { clean: string; origin: number[] } {
  let clean = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '"') i++;
    clean += text.charAt(i);
    origin.push(i);
  }
  origin.push(text.length);
  return { clean, origin };
}

/** Moves a token lexed from a hole to its place in the file (same line, shifted columns). */
function shiftToken(t: IToken, base: Span, start: number, origin: readonly number[]): void {
  const from = start + (origin[t.startOffset] ?? 0);
  const to = start + (origin[t.endOffset ?? t.startOffset] ?? 0);
  t.startOffset = base.offset + from;
  t.endOffset = base.offset + to;
  t.startLine = base.line;
  t.endLine = base.line;
  t.startColumn = base.col + from;
  t.endColumn = base.col + to;
}
