// The parser's entry point: text in, an AST (partial after errors) and sorted diagnostics out,
// never an exception. Stages, in order:
//   1. lex the whole file (comments go aside for the formatter);
//   2. split the tokens into declarations at their keywords (`process`, `rule`, ...), which can
//      appear nowhere else, so an error in one declaration never swallows the next one, and a
//      missing `}` reads "expected `}` to close the `process` block, found `rule`";
//   3. refuse a declaration nested deeper than MAX_NESTING before parsing it, because the parser
//      and every later phase recurse once per level;
//   4. parse each declaration with the shared Chevrotain parser and build its AST right away, so
//      the CST of a large file never exists all at once; a misspelt keyword is read as the one
//      meant and reported once (repair.ts, which also mends misspelt declaration words
//      before step 2).
import type { IToken } from 'chevrotain';
import type { Comment, PolicyFile, Span } from '../ast/types.js';
import { type Diagnostic, meant, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import { SYNTAX } from '../diagnostics/syntax-codes.js';
import { charterLexer, Colon, Dot, findTooDeep, kw, MAX_NESTING } from './lexer.js';
import { parser } from './parser.js';
import { parseWithRepairs, repairDeclarationWords } from './repair.js';
import { describeToken, lexingDiagnostics, setEndDescription, syntaxDiagnostics } from './errors.js';
import { assembleFile, buildTopItem, type TopItem } from '../ast/build.js';
import { unreadRule } from '../ast/expr.js';
import { type BuildContext, joinSpans, report, tokenSpan } from '../ast/support.js';

export interface ParseResult {
  ast: PolicyFile;
  diagnostics: Diagnostic[];
}

export function parse(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const spanAt = offsetToSpan(text);
  const ctx: BuildContext = { file, diagnostics, spanAt };
  const whole = joinSpans(spanAt(0), spanAt(text.length));
  try {
    const ast = parseFile(text, ctx, whole);
    return { ast, diagnostics: sortDiagnostics(oneSyntaxErrorPerSpot(diagnostics)) };
  } catch {
    // A safety net, not a code path: the property tests assert it never fires.
    report(ctx, SYNTAX.internalError, spanAt(0), 'the parser failed on this file', {
      help: 'this is a bug in Charter, not in the policy; please report it with the file',
    });
    const ast: PolicyFile = {
      kind: 'file',
      header: null,
      uses: [],
      declarations: [],
      comments: [],
      span: whole,
    };
    return { ast, diagnostics: sortDiagnostics(diagnostics) };
  }
}

function parseFile(text: string, ctx: BuildContext, whole: Span): PolicyFile {
  const lexed = charterLexer.tokenize(text);
  lexingDiagnostics(lexed, ctx, (error) => {
    const start = ctx.spanAt(error.offset);
    return joinSpans(start, ctx.spanAt(error.offset + error.length));
  });
  const comments: Comment[] = (lexed.groups['comments'] ?? []).map((t) => ({
    text: t.image.slice(1),
    span: tokenSpan(t),
  }));

  const items: TopItem[] = [];
  const chunks = splitDeclarations(repairDeclarationWords(lexed.tokens, ctx));
  chunks.forEach((chunk, index) => {
    const next = chunks[index + 1]?.[0];
    const item = parseDeclaration(chunk, next, ctx, ctx.spanAt(text.length));
    if (item) items.push(item);
  });
  return assembleFile(items, comments, whole, ctx);
}

const DECLARATION_STARTS = new Set([
  kw.policy,
  kw.library,
  kw.use,
  kw.calendar,
  kw.role,
  kw.rule,
  kw.process,
  kw.monitor,
]);
const DECLARATION_WORDS = ['policy', 'library', 'use', 'calendar', 'role', 'rule', 'process', 'monitor'];

/** A declaration keyword, unless it is a field name (`role: text`) or a path segment (`x.role`). */
function startsDeclaration(tokens: readonly IToken[], i: number): boolean {
  const token = tokens[i];
  return (
    token !== undefined &&
    DECLARATION_STARTS.has(token.tokenType) &&
    tokens[i - 1]?.tokenType !== Dot &&
    tokens[i + 1]?.tokenType !== Colon
  );
}

function splitDeclarations(tokens: readonly IToken[]): IToken[][] {
  const chunks: IToken[][] = [];
  let current: IToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    if (startsDeclaration(tokens, i) && current.length > 0) {
      chunks.push(current);
      current = [];
    }
    current.push(token);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function parseDeclaration(
  chunk: IToken[],
  next: IToken | undefined,
  ctx: BuildContext,
  endOfFile: Span,
): TopItem | null {
  const first = chunk[0];
  const last = chunk[chunk.length - 1];
  if (!first || !last) return null;
  if (!DECLARATION_STARTS.has(first.tokenType)) {
    report(
      ctx,
      SYNTAX.unexpectedTokens,
      joinSpans(tokenSpan(first), tokenSpan(last)),
      `expected a declaration (\`policy\`, \`library\`, \`use\`, \`calendar\`, \`role\`, \`rule\`, \`process\` or \`monitor\`), found ${describeToken(first)}`,
      // The span is the whole chunk, not the word the suggestion replaces: help only, no fix.
      { help: meant(suggest(first.image, DECLARATION_WORDS)).help },
    );
    return null;
  }
  const tooDeep = findTooDeep(chunk, MAX_NESTING);
  if (tooDeep) {
    report(
      ctx,
      SYNTAX.nestingTooDeep,
      tokenSpan(tooDeep),
      `blocks and brackets nest more than ${MAX_NESTING} levels deep`,
      {
        help: 'flatten the structure, for example with named rules; this declaration is not read',
      },
    );
    // A rule keeps its name, so that its uses do not add "unknown rule" to the one real problem.
    return first.tokenType === kw.rule ? unreadRule(chunk) : null;
  }
  setEndDescription(next ? describeToken(next) : 'end of file');
  // Misspelt keywords and stray words are repaired, so that one mistake costs one diagnostic.
  return parseWithRepairs(chunk, ctx, (tokens, attemptCtx) => {
    parser.input = tokens;
    const cst = parser.declaration();
    syntaxDiagnostics(parser.errors, attemptCtx, next ? tokenSpan(next) : endOfFile);
    return buildTopItem(cst, attemptCtx);
  });
}

/**
 * After a parse error, recovery may leave the same token to the builder as junk: one syntax
 * error per position is enough (the parser's, reported first, says more).
 */
function oneSyntaxErrorPerSpot(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const syntaxAt = new Set<number>();
  return diagnostics.filter((d) => {
    if (!d.code.startsWith('CH1')) return true;
    if (syntaxAt.has(d.span.offset)) return false;
    syntaxAt.add(d.span.offset);
    return true;
  });
}

/** Offsets to line and column (1-based), as Chevrotain counts them: `\r\n`, `\n` and `\r` end lines. */
function offsetToSpan(text: string): (offset: number) => Span {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lineStarts.push(i + 1);
  }
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    const col = offset - (lineStarts[low] ?? 0) + 1;
    return { offset, end: offset, line: low + 1, col, endLine: low + 1, endCol: col };
  };
}
