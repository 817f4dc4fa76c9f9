// Coverage in the source: after the tests ran, each line of a step (or branch) that no scenario
// reached gets a tinted background and a "✕" in a gutter of its own, with what was missed as the
// marker's title, so the mark is not told by colour alone. The page sets the lines with
// `showUncovered`; the marks move with the text as it is edited and go when the tests run again.
import { type Extension, RangeSet, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, gutter, GutterMarker } from '@codemirror/view';

/** Line number (1-based) to what was not covered there. */
const setUncovered = StateEffect.define<ReadonlyMap<number, string>>();

class UncoveredMarker extends GutterMarker {
  constructor(readonly what: string) {
    super();
  }

  override eq(other: GutterMarker): boolean {
    return other instanceof UncoveredMarker && other.what === this.what;
  }

  override toDOM(): Node {
    const mark = document.createElement('span');
    mark.className = 'studio-uncovered-mark';
    mark.textContent = '✕';
    mark.title = `Not covered: ${this.what}`;
    return mark;
  }
}

interface Marks {
  lines: DecorationSet;
  gutter: RangeSet<GutterMarker>;
}

const NONE: Marks = { lines: Decoration.none, gutter: RangeSet.empty as RangeSet<GutterMarker> };

const marksField = StateField.define<Marks>({
  create: () => NONE,
  update(marks, transaction) {
    let next: Marks = transaction.docChanged
      ? { lines: marks.lines.map(transaction.changes), gutter: marks.gutter.map(transaction.changes) }
      : marks;
    for (const effect of transaction.effects) {
      if (!effect.is(setUncovered)) continue;
      const doc = transaction.state.doc;
      const lines = [...effect.value.entries()]
        .filter(([line]) => line >= 1 && line <= doc.lines)
        .sort(([a], [b]) => a - b);
      next = {
        lines: Decoration.set(
          lines.map(([line, what]) =>
            Decoration.line({
              class: 'studio-uncovered-line',
              attributes: { 'data-uncovered': what },
            }).range(doc.line(line).from),
          ),
        ),
        gutter: RangeSet.of(
          lines.map(([line, what]) => new UncoveredMarker(what).range(doc.line(line).from)),
        ),
      };
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (marks) => marks.lines),
});

export function coverageMarks(): Extension {
  return [
    marksField,
    gutter({
      class: 'studio-coverage-gutter',
      markers: (view) => view.state.field(marksField).gutter,
    }),
  ];
}

/** Marks `lines` (replacing the marks before); an empty map clears them. */
export function showUncovered(view: EditorView, lines: ReadonlyMap<number, string>): void {
  view.dispatch({ effects: setUncovered.of(lines) });
}
