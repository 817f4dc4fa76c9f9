// Library files beside the policy: "New library file…" asks a name (a plain `<name>.charter`, not
// yet a file of the draft; what is wrong is said next to the field), creates the file with a
// `library` header and shows it; "Remove" drops the library file shown, after a confirmation. The
// entry file is never removed. The checker reads every file of the draft, so a new library is
// checked as soon as it is shown; the policy brings it in with `use "<name>.charter"`.
import { type FormEvent, useId, useRef, useState } from 'react';

/** What is wrong with `name` as a new library file of a draft holding `files`, or null. */
export function libraryNameProblem(name: string, files: readonly string[]): string | null {
  if (name === '') return 'Name the file, like shared.charter.';
  if (name.includes('/') || name.includes('\\')) return 'A file name only, without folders (no /).';
  if (!name.endsWith('.charter') || name === '.charter') return 'The name must end with .charter.';
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return 'Use letters, digits, dots, dashes and underscores only.';
  if (files.includes(name)) return `${name} is already a file of this draft.`;
  return null;
}

/** A library that checks clean, saying how the policy uses it. */
export const libraryText = (name: string): string =>
  `# Calendars, roles and rules the policy shares: bring them in with \`use "${name}"\`
# after the policy's header.
library "${name.replace(/\.charter$/, '')}"
`;

interface LibraryFilesProps {
  files: readonly string[];
  entry: string;
  active: string;
  onAdd: (path: string, text: string) => void;
  onRemove: (path: string) => void;
}

export function LibraryFiles({ files, entry, active, onAdd, onRemove }: LibraryFilesProps) {
  const [asking, setAsking] = useState(false);
  const [name, setName] = useState('');
  const [tried, setTried] = useState(false);
  const fieldId = useId();
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const problem = tried ? libraryNameProblem(name.trim(), files) : null;

  const close = (): void => {
    setAsking(false);
    setName('');
    setTried(false);
    window.setTimeout(() => opener.current?.focus(), 0);
  };

  const create = (event: FormEvent): void => {
    event.preventDefault();
    setTried(true);
    const path = name.trim();
    if (libraryNameProblem(path, files) !== null) {
      input.current?.focus();
      return;
    }
    onAdd(path, libraryText(path));
    setAsking(false);
    setName('');
    setTried(false);
  };

  const remove = (): void => {
    if (!window.confirm(`Remove ${active} from the draft? Its text is lost.`)) return;
    onRemove(active);
  };

  return (
    <div className="studio-library">
      <div className="actions">
        <button
          ref={opener}
          type="button"
          className="button"
          aria-expanded={asking}
          onClick={() => {
            setAsking(true);
            window.setTimeout(() => input.current?.focus(), 0);
          }}
        >
          New library file…
        </button>
        {active !== entry ? (
          <button type="button" className="button" onClick={remove}>
            Remove {active}
          </button>
        ) : null}
      </div>
      {asking ? (
        <form className="studio-library-form" onSubmit={create} noValidate aria-label="New library file">
          <div className="field">
            <label htmlFor={fieldId}>Library file name</label>
            <input
              ref={input}
              id={fieldId}
              type="text"
              value={name}
              spellCheck={false}
              placeholder="shared.charter"
              aria-invalid={problem !== null ? true : undefined}
              aria-describedby={problem !== null ? `${fieldId}-problem` : undefined}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && close()}
            />
            {problem !== null ? (
              <p id={`${fieldId}-problem`} className="field-problem">
                {problem}
              </p>
            ) : null}
          </div>
          <div className="actions">
            <button type="submit" className="button button-primary">
              Create
            </button>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
