// Instances whose project text names no project, for the PMO and admins (GET /v1/portfolio/
// unlinked): each text with how many instances carry it and the newest start, the project whose
// code is close to it when there is one, and "Create project" prefilled from it. Above, the
// setting that makes new starts name a known, open project (PUT /v1/portfolio/settings): off until
// the PMO turns it on, so installations that used free text keep working meanwhile.
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, asFailure, type ApiFailure, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link } from '../../app/router.js';
import { Empty, ErrorNotice, Loaded } from '../../components/states.js';
import { SaveStatus } from '../settings/form-parts.js';
import { instantText, projectPath, type Unlinked } from './project-view.js';

const SHOWN = 200;

const createPath = (u: Unlinked): string => {
  const params = new URLSearchParams({ name: u.text, from: u.text });
  if (u.newCode !== null) params.set('code', u.newCode);
  return `/portfolio/new?${params.toString()}`;
};

export function UnlinkedProjects() {
  const id = useId();
  const unlinked = useLive('portfolio:unlinked', () =>
    unwrap(api.GET('/v1/portfolio/unlinked', { params: { query: { limit: SHOWN } } })),
  );
  return (
    <>
      <RequireKnownProject />
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Project names of instances that match no project</h2>
        <p className="field-help">
          Instances keep the project text they were started with. Create a project for a text that names real
          work; new starts then name it by its code.
        </p>
        <Loaded read={unlinked} what="the unlinked project names">
          {(data) =>
            data.items.length === 0 ? (
              <Empty title="Every instance names a project">
                Nothing to link: each project text is a project’s code.
              </Empty>
            ) : (
              <>
                {data.total > data.items.length ? (
                  <p className="field-help">
                    The {data.items.length} with the most instances of {data.total}.
                  </p>
                ) : null}
                <UnlinkedTable items={data.items} />
              </>
            )
          }
        </Loaded>
      </section>
    </>
  );
}

function UnlinkedTable({ items }: { items: Unlinked[] }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table portfolio-unlinked">
        <caption className="visually-hidden">Project names that match no project</caption>
        <thead>
          <tr>
            <th scope="col">Project name</th>
            <th scope="col">Instances</th>
            <th scope="col">Newest start</th>
            <th scope="col">Similar code</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {items.map((u) => (
            <tr key={u.text}>
              <th scope="row" data-label="Project name">
                <code>{u.text}</code>
              </th>
              <td data-label="Instances">{u.instances}</td>
              <td data-label="Newest start">{instantText(u.newestStart)}</td>
              <td data-label="Similar code">
                {u.suggestion === null ? (
                  <span className="muted">none</span>
                ) : (
                  <Link to={projectPath(u.suggestion)}>{u.suggestion}</Link>
                )}
              </td>
              <td data-label="Action">
                {u.suggestion !== null && u.suggestion === u.newCode ? (
                  // The project this text would become exists: new starts name it by its code.
                  <span className="muted">Project exists: start new instances with {u.suggestion}</span>
                ) : (
                  <Link className="button" to={createPath(u)} aria-label={`Create project from ${u.text}`}>
                    Create project
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RequireKnownProject() {
  const id = useId();
  const settings = useLive('portfolio:settings', () => unwrap(api.GET('/v1/portfolio/settings')), {
    live: false,
  });
  const [required, setRequired] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const stored = settings.data?.requireKnownProject ?? null;
  useEffect(() => setRequired(stored), [stored]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (required === null) return;
    setBusy(true);
    setSaved(null);
    try {
      const after = await unwrap(
        api.PUT('/v1/portfolio/settings', { body: { requireKnownProject: required } }),
      );
      setFailure(null);
      setSaved(
        after.requireKnownProject
          ? 'Saved: new instances must name an open project by its code.'
          : 'Saved: new instances may name any project text.',
      );
      await settings.reload();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Starting instances</h2>
      <Loaded read={settings} what="the portfolio settings">
        {() => (
          <form onSubmit={(e) => void submit(e)}>
            <div className="check-line">
              <input
                id={`${id}-require`}
                type="checkbox"
                checked={required === true}
                aria-describedby={`${id}-require-help`}
                onChange={(e) => setRequired(e.target.checked)}
              />
              <label htmlFor={`${id}-require`}>
                Refuse a start whose project is not an open project’s code
              </label>
            </div>
            <p className="field-help" id={`${id}-require-help`}>
              Checked, a start naming an unknown or closed project is refused, with the closest code
              suggested.
            </p>
            {failure ? <ErrorNotice failure={failure} title="The setting was not saved" /> : null}
            <p className="actions">
              <button type="submit" className="button" disabled={busy || required === stored}>
                {busy ? 'Saving…' : 'Save setting'}
              </button>
            </p>
            <SaveStatus text={saved} />
          </form>
        )}
      </Loaded>
    </section>
  );
}
