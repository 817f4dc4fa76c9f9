// Shared plumbing of the CST-to-AST builder: where diagnostics go, spans from tokens and nodes,
// and typed access to Chevrotain's untyped `children` records. After error recovery a CST node may
// lack any child and may hold tokens the parser invented (`isInsertedInRecovery`); the accessors
// hide invented tokens, so builders see a missing child and drop the node (the parser has
// already reported why).
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Ident, Span } from './types.js';
import type { Diagnostic, Fix, RelatedInfo } from '../diagnostics/diagnostic.js';
import { SYNTAX, type SyntaxCode } from '../diagnostics/syntax-codes.js';

export interface BuildContext {
  readonly file: string;
  readonly diagnostics: Diagnostic[];
  /** Turns an offset into a span when no token is at hand (ends of input). */
  readonly spanAt: (offset: number) => Span;
}

export interface ReportOptions {
  help?: string | undefined;
  fix?: Fix | undefined;
  related?: { message: string; span: Span }[];
}

export function report(
  ctx: BuildContext,
  code: SyntaxCode,
  span: Span,
  message: string,
  options: ReportOptions = {},
): void {
  const diagnostic: Diagnostic = { code, severity: 'error', message, file: ctx.file, span };
  if (options.help !== undefined) diagnostic.help = options.help;
  if (options.fix !== undefined) diagnostic.fix = options.fix;
  if (options.related?.length) {
    diagnostic.related = options.related.map((r): RelatedInfo => ({
      message: r.message,
      file: ctx.file,
      span: r.span,
    }));
  }
  ctx.diagnostics.push(diagnostic);
}

// ------------------------------------------------------------------------------------------------
// Spans

export const isRealToken = (t: IToken | undefined): t is IToken =>
  t !== undefined && t.isInsertedInRecovery !== true && Number.isFinite(t.startOffset);

export function tokenSpan(t: IToken): Span {
  const end = (t.endOffset ?? t.startOffset) + 1;
  const line = t.startLine ?? 1;
  const col = t.startColumn ?? 1;
  return {
    offset: t.startOffset,
    end,
    line,
    col,
    endLine: t.endLine ?? line,
    endCol: (t.endColumn ?? col + t.image.length - 1) + 1,
  };
}

/** From the start of `a` to the end of `b`. */
export const joinSpans = (a: Span, b: Span): Span => ({
  offset: a.offset,
  end: b.end,
  line: a.line,
  col: a.col,
  endLine: b.endLine,
  endCol: b.endCol,
});

const isToken = (e: CstElement): e is IToken => 'tokenType' in e;

/** The first or last real token under a node, searching children by offset. */
function edgeToken(node: CstNode, last: boolean): IToken | undefined {
  let best: IToken | undefined;
  for (const list of Object.values(node.children)) {
    for (const element of list) {
      const candidate = isToken(element)
        ? isRealToken(element)
          ? element
          : undefined
        : edgeToken(element, last);
      if (!candidate) continue;
      if (
        !best ||
        (last ? candidate.startOffset > best.startOffset : candidate.startOffset < best.startOffset)
      ) {
        best = candidate;
      }
    }
  }
  return best;
}

/** A node's span from its location, or from its real tokens after recovery; undefined if empty. */
export function nodeSpan(node: CstNode): Span | undefined {
  const loc = node.location;
  if (
    loc &&
    Number.isFinite(loc.startOffset) &&
    Number.isFinite(loc.endOffset) &&
    (loc.endOffset ?? -1) >= loc.startOffset &&
    !node.recoveredNode
  ) {
    return {
      offset: loc.startOffset,
      end: (loc.endOffset ?? loc.startOffset) + 1,
      line: loc.startLine ?? 1,
      col: loc.startColumn ?? 1,
      endLine: loc.endLine ?? 1,
      endCol: (loc.endColumn ?? 0) + 1,
    };
  }
  const first = edgeToken(node, false);
  const last = edgeToken(node, true);
  if (!first || !last) return undefined;
  return joinSpans(tokenSpan(first), tokenSpan(last));
}

// ------------------------------------------------------------------------------------------------
// Typed access to CST children

export function tokenOf(node: CstNode, key: string, index = 0): IToken | undefined {
  const element = node.children[key]?.[index];
  return element && isToken(element) && isRealToken(element) ? element : undefined;
}

export function tokensOf(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter((e): e is IToken => isToken(e) && isRealToken(e));
}

export function childOf(node: CstNode, key: string, index = 0): CstNode | undefined {
  const element = node.children[key]?.[index];
  return element && !isToken(element) ? element : undefined;
}

export function childrenOf(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

/** Every element under `key`, tokens and nodes, in source order (for junk runs). */
export function elementsOf(node: CstNode, key: string): CstElement[] {
  return node.children[key] ?? [];
}

export const elementSpan = (e: CstElement): Span | undefined =>
  isToken(e) ? (isRealToken(e) ? tokenSpan(e) : undefined) : nodeSpan(e);

export const elementStart = (e: CstElement): IToken | undefined => (isToken(e) ? e : edgeToken(e, false));

export const identOf = (t: IToken): Ident => ({ name: t.image, span: tokenSpan(t) });

export function identAt(node: CstNode, key: string, index = 0): Ident | undefined {
  const t = tokenOf(node, key, index);
  return t ? identOf(t) : undefined;
}

export const isPresent = <T>(value: T | null | undefined): value is T =>
  value !== null && value !== undefined;

/** The smallest span covering all given spans (at least one must be present). */
export function cover(...spans: (Span | null | undefined)[]): Span | undefined {
  let result: Span | undefined;
  for (const span of spans) {
    if (!span) continue;
    if (!result) {
      result = span;
      continue;
    }
    const start = span.offset < result.offset ? span : result;
    const end = span.end > result.end ? span : result;
    result = joinSpans(start, end);
  }
  return result;
}

/**
 * One diagnostic per run of junk (stray tokens and skipped `{...}` blocks with no real item in
 * between), so one typo costs one error. `items` are the keys of the real items of the block.
 */
export function reportJunk(
  node: CstNode,
  items: readonly string[],
  ctx: BuildContext,
  expected: string,
  help: (first: IToken) => string | undefined,
): void {
  const junk = elementsOf(node, 'junk');
  if (junk.length === 0) return;
  const itemStarts = items
    .flatMap((key) => elementsOf(node, key))
    .map((e) => elementStart(e)?.startOffset)
    .filter((o): o is number => o !== undefined && Number.isFinite(o))
    .sort((a, b) => a - b);
  const sorted = junk
    .map((e) => ({ start: elementStart(e), span: elementSpan(e) }))
    .filter((j): j is { start: IToken; span: Span } => j.start !== undefined && j.span !== undefined)
    .sort((a, b) => a.span.offset - b.span.offset);
  let runStart = 0;
  let item = 0;
  for (let i = 0; i < sorted.length; i++) {
    const current = sorted[i];
    const next = sorted[i + 1];
    if (!current) continue;
    while (item < itemStarts.length && (itemStarts[item] ?? Infinity) <= current.span.offset) item++;
    const itemBetween = next !== undefined && (itemStarts[item] ?? Infinity) < next.span.offset;
    if (next && !itemBetween) continue;
    const first = sorted[runStart];
    runStart = i + 1;
    if (!first) continue;
    const found =
      first.start.tokenType.name === 'StringLiteral'
        ? `the string \`${first.start.image}\``
        : `\`${first.start.image}\``;
    report(
      ctx,
      SYNTAX.unexpectedTokens,
      joinSpans(first.span, current.span),
      `expected ${expected}, found ${found}`,
      {
        help: help(first.start),
      },
    );
  }
}
