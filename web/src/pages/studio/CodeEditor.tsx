// The editor on the page: one CodeMirror view, made once, whose document follows the file the
// studio shows. Each open file keeps its own editor state (text, selection, undo history) while
// another one is shown; opening another draft starts them afresh (`docKey` changes).
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { type EditorHooks, studioExtensions } from './editor-setup.js';

interface CodeEditorProps {
  /** Names the document shown: `<draft generation>:<file path>`. */
  docKey: string;
  /** The text a document starts with when it is first shown. */
  text: string;
  hooks: EditorHooks;
  /** The view, for the page's commands (format, go to a problem); null once unmounted. */
  onView: (view: EditorView | null) => void;
}

export function CodeEditor({ docKey, text, hooks, onView }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const states = useRef(new Map<string, EditorState>());
  const shown = useRef<string | null>(null);
  // The hooks read the page's latest state through refs; the extensions are made once.
  const hooksRef = useRef(hooks);
  hooksRef.current = hooks;
  const extensions = useRef(
    studioExtensions({
      check: (t) => hooksRef.current.check(t),
      changed: (t) => hooksRef.current.changed(t),
      save: () => hooksRef.current.save(),
      parsed: () => hooksRef.current.parsed(),
      file: () => hooksRef.current.file(),
      label: hooks.label,
      describedBy: hooks.describedBy,
    }),
  );

  useEffect(() => {
    if (!host.current) return undefined;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({ doc: '', extensions: extensions.current }),
    });
    view.current = created;
    onView(created);
    return () => {
      created.destroy();
      view.current = null;
      shown.current = null;
      onView(null);
    };
    // The view lives as long as the page.
  }, []);

  useEffect(() => {
    const current = view.current;
    if (!current || shown.current === docKey) return;
    if (shown.current !== null) states.current.set(shown.current, current.state);
    const generation = docKey.split(':')[0];
    for (const key of states.current.keys()) {
      if (key.split(':')[0] !== generation) states.current.delete(key);
    }
    current.setState(
      states.current.get(docKey) ?? EditorState.create({ doc: text, extensions: extensions.current }),
    );
    shown.current = docKey;
  }, [docKey, text]);

  return <div className="studio-editor" ref={host} />;
}
