// The formatter's view of the source text between AST nodes. The AST keeps spans for nodes but not
// for keywords and braces (`else`, `{`, `}`), and comments can sit anywhere between tokens, so the
// formatter finds those places by scanning the text. Scanning is only ever done over trivia
// (whitespace and comments) or over a few known keywords, never through a string, which keeps it
// simple: strings cannot span lines, and a comment runs from the first `#` outside a string to the
// end of its line.

export class SourceText {
  /** For each line (0-based), the offset of its comment's `#`, or its end when it has none. */
  private readonly codeEnds: number[] = [];
  private readonly lineStarts: number[] = [];

  constructor(readonly text: string) {
    // Lines end as the lexer ends them: at `\r\n`, `\n` or a lone `\r`.
    const breaks = /\r\n|\n|\r/g;
    let start = 0;
    for (let m = breaks.exec(text); ; m = breaks.exec(text)) {
      const end = m ? m.index : text.length;
      this.lineStarts.push(start);
      this.codeEnds.push(start + commentStart(text.slice(start, end)));
      if (!m) break;
      start = m.index + m[0].length;
    }
  }

  /** The 0-based line holding `offset`. */
  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private inComment(offset: number): boolean {
    return offset >= this.codeEnds[this.lineOf(offset)]!;
  }

  /** The offset of the first code character at or after `offset` (the text length if none). */
  skipTrivia(offset: number): number {
    let at = offset;
    while (at < this.text.length) {
      if (this.inComment(at)) at = this.lineStarts[this.lineOf(at) + 1] ?? this.text.length;
      else if (/\s/.test(this.text[at]!)) at++;
      else return at;
    }
    return this.text.length;
  }

  /** The offset just after the last code character before `offset` (0 if none). */
  codeEndBefore(offset: number): number {
    let at = offset - 1;
    while (at >= 0) {
      if (this.inComment(at)) at = this.codeEnds[this.lineOf(at)]! - 1;
      else if (/\s/.test(this.text[at]!)) at--;
      else return at + 1;
    }
    return 0;
  }

  /** The offset just after the `{` that opens the block whose header starts at `from`. */
  afterOpenBrace(from: number): number {
    let at = this.skipTrivia(from);
    while (at < this.text.length && this.text[at] !== '{') {
      if (this.text[at] === '"') throw new Error(`formatter: a string before the \`{\` at offset ${from}`);
      at = this.skipTrivia(at + 1);
    }
    return at + 1;
  }

  /**
   * The offset of the `}` that ends a block node whose span ends at `spanEnd`. Taken from the span
   * rather than found after the last child: an empty `input {}` has no node, but has braces.
   */
  blockClose(spanEnd: number): number {
    const at = spanEnd - 1;
    if (this.text[at] !== '}') throw new Error(`formatter: expected \`}\` at offset ${at}`);
    return at;
  }

  /** The offset of the `}` that follows `from` after trivia (the block's last child ends at `from`). */
  closeBrace(from: number): number {
    const at = this.skipTrivia(from);
    if (this.text[at] !== '}') throw new Error(`formatter: expected \`}\` at offset ${at}`);
    return at;
  }

  /** The offset after the keywords `words`, which follow `from` separated by trivia. */
  afterWords(from: number, words: readonly string[]): number {
    let at = from;
    for (const word of words) {
      at = this.skipTrivia(at);
      if (!this.text.startsWith(word, at)) throw new Error(`formatter: expected \`${word}\` at offset ${at}`);
      at += word.length;
    }
    return at;
  }

  /**
   * The end of an expression that ends at `end` in the AST, past any `)` that closes it: the AST
   * drops parentheses, and a comment after them still ends the expression's line.
   */
  afterParens(end: number): number {
    let at = end;
    for (let next = this.skipTrivia(at); this.text[next] === ')'; next = this.skipTrivia(at)) at = next + 1;
    return at;
  }

  /** True when only spaces and tabs separate `from` and `to`: a comment at `to` ends that line. */
  sameLine(from: number, to: number): boolean {
    return /^[ \t\f\v]*$/.test(this.text.slice(from, to));
  }

  /** True when the whitespace just before `offset` holds an empty line. */
  blankBefore(offset: number): boolean {
    let at = offset;
    while (at > 0 && /\s/.test(this.text[at - 1]!)) at--;
    if (at === 0) return false;
    const breaks = this.text.slice(at, offset).match(/\r\n|\n|\r/g);
    return (breaks?.length ?? 0) >= 2;
  }

  /**
   * The tokens of a literal that spans several tokens (`2 business  days`, `50_000 EUR`), with
   * comments between them dropped: they are printed elsewhere, and must not appear twice.
   */
  literalWords(offset: number, end: number): string[] {
    const words: string[] = [];
    let at = this.skipTrivia(offset);
    while (at < end) {
      let stop = at;
      while (stop < end && !/\s/.test(this.text[stop]!) && !this.inComment(stop)) stop++;
      words.push(this.text.slice(at, stop));
      at = this.skipTrivia(stop);
    }
    return words;
  }
}

/** Where the comment of one line starts (its length if none): the first `#` outside a string. */
function commentStart(line: string): number {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '#') {
      return i;
    }
  }
  return line.length;
}
