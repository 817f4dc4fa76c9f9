// Colours for Charter text, from the real lexer (dsl/parse/lexer.ts): the editor shows keywords,
// strings, numbers, durations, dates and comments exactly as the parser reads them, so a word that
// is a keyword in the language looks like one here and nowhere else. The whole file is lexed again
// after each change; policies are a few hundred lines and Chevrotain lexes that in well under a
// millisecond, which keeps this simpler than an incremental grammar.
import { type Extension, RangeSetBuilder } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  type EditorView,
  ViewPlugin,
  type ViewUpdate,
} from '@codemirror/view';
import type { IToken, TokenType } from 'chevrotain';
import {
  charterLexer,
  Comment,
  DateLiteral,
  DurationLiteral,
  kw,
  NumberLiteral,
  StringLiteral,
  TimeLiteral,
  UnterminatedString,
} from '../../../../dsl/parse/lexer.js';

type TokenClass = 'keyword' | 'string' | 'number' | 'time' | 'comment';

const KEYWORD_TYPES = new Set<TokenType>(Object.values(kw));

const CLASS_OF = new Map<TokenType, TokenClass>([
  [StringLiteral, 'string'],
  [UnterminatedString, 'string'],
  [NumberLiteral, 'number'],
  [DurationLiteral, 'time'],
  [DateLiteral, 'time'],
  [TimeLiteral, 'time'],
  [Comment, 'comment'],
]);

const marks: Record<TokenClass, Decoration> = {
  keyword: Decoration.mark({ class: 'cm-charter-keyword' }),
  string: Decoration.mark({ class: 'cm-charter-string' }),
  number: Decoration.mark({ class: 'cm-charter-number' }),
  time: Decoration.mark({ class: 'cm-charter-time' }),
  comment: Decoration.mark({ class: 'cm-charter-comment' }),
};

function classOf(token: IToken): TokenClass | undefined {
  if (KEYWORD_TYPES.has(token.tokenType)) return 'keyword';
  return CLASS_OF.get(token.tokenType);
}

/** The marks of every token worth a colour, in document order (as RangeSetBuilder needs). */
export function charterMarks(text: string): DecorationSet {
  const lexed = charterLexer.tokenize(text);
  const tokens = [...lexed.tokens, ...(lexed.groups['comments'] ?? [])].sort(
    (a, b) => a.startOffset - b.startOffset,
  );
  const builder = new RangeSetBuilder<Decoration>();
  for (const token of tokens) {
    const cls = classOf(token);
    if (cls === undefined) continue;
    builder.add(token.startOffset, token.startOffset + token.image.length, marks[cls]);
  }
  return builder.finish();
}

export function charterHighlighting(): Extension {
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = charterMarks(view.state.doc.toString());
      }
      update(update: ViewUpdate): void {
        if (update.docChanged) this.decorations = charterMarks(update.state.doc.toString());
      }
    },
    { decorations: (plugin) => plugin.decorations },
  );
}
