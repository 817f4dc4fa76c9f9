// Where a draft comes from: a fresh policy from the template, or a published version's sources
// (GET /v1/policies lists them, newest version first; the chosen one opens at
// /studio?policy=<name>&version=<n>, so the address can be shared and survives a reload).
import { type FormEvent, useId, useState } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { ErrorNotice } from '../../components/states.js';

/** The newest versions are enough to pick from; an older one opens by its address. */
const LISTED = 200;

interface VersionChoice {
  name: string;
  version: number;
}

async function readVersions(): Promise<VersionChoice[]> {
  const page = await unwrap(api.GET('/v1/policies', { params: { query: { limit: LISTED } } }));
  return page.items.map((p) => ({ name: p.name, version: p.version }));
}

interface OpenSourceProps {
  onNew: () => void;
  onOpen: (choice: VersionChoice) => void;
}

export function OpenSource({ onNew, onOpen }: OpenSourceProps) {
  const selectId = useId();
  const helpId = useId();
  const read = useLive('studio:versions', readVersions, { intervalMs: 10_000 });
  const [chosen, setChosen] = useState('');

  const open = (event: FormEvent): void => {
    event.preventDefault();
    const choice = read.data?.find((v) => `${v.name}@${v.version}` === chosen);
    if (choice) onOpen(choice);
  };

  const versions = read.data ?? [];
  return (
    <section className="studio-open card" aria-label="Start from">
      <button type="button" className="button" onClick={onNew}>
        New policy from the template
      </button>
      <form className="studio-open-form" onSubmit={open}>
        <div className="field">
          <label htmlFor={selectId}>Or open a published version as the next one</label>
          <select
            id={selectId}
            value={chosen}
            onChange={(e) => setChosen(e.target.value)}
            aria-describedby={helpId}
            disabled={versions.length === 0}
          >
            <option value="">
              {read.loading
                ? 'Loading the published versions…'
                : versions.length === 0
                  ? 'Nothing published yet'
                  : 'Choose a version'}
            </option>
            {versions.map((v) => (
              <option key={`${v.name}@${v.version}`} value={`${v.name}@${v.version}`}>
                {v.name}, version {v.version}
              </option>
            ))}
          </select>
          <p id={helpId} className="field-help">
            Its text opens with the version number raised by one. Opening replaces the text in the editor.
          </p>
        </div>
        <button type="submit" className="button" disabled={chosen === ''}>
          Open
        </button>
      </form>
      {read.error && read.data === null ? (
        <ErrorNotice
          failure={read.error}
          title="Could not list the published versions"
          onRetry={() => void read.reload()}
        />
      ) : null}
    </section>
  );
}
