// Creating a project (POST /v1/projects), for the PMO and admins. A link may prefill the code and
// the name (/portfolio/new?code=INTRANET&name=intranet): the unlinked list does, for a project
// text that instances carry. On success the project's page opens; a taken code says which project
// has it.
import { type FormEvent, useId, useRef, useState } from 'react';
import { api, asFailure, type ApiFailure, idempotencyKey, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link, navigate, useLocation } from '../../app/router.js';
import { useFocusOnRefusal } from '../settings/form-parts.js';
import { createBody, type Draft, newDraft } from './project-draft.js';
import { ProjectForm } from './ProjectForm.js';
import { projectPath } from './project-view.js';

export function NewProject() {
  const id = useId();
  const { query } = useLocation();
  const from = query.get('from');
  const [draft, setDraft] = useState<Draft>(() =>
    newDraft({
      ...(query.get('code') === null ? {} : { code: query.get('code') ?? '' }),
      ...(query.get('name') === null ? {} : { name: query.get('name') ?? '' }),
    }),
  );
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  // One key per body: a retried click after a lost answer creates the project once, and a
  // corrected form is a new request (the API refuses a used key with another body).
  const sent = useRef<{ body: string; key: string } | null>(null);
  const summaryRef = useFocusOnRefusal(failure);
  const phases = useLive('portfolio:phases', () => unwrap(api.GET('/v1/portfolio/phases')), { live: false });
  const firstPhase = phases.data?.phases[0];
  const shown = draft.phase === '' && firstPhase !== undefined ? { ...draft, phase: firstPhase } : draft;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const body = createBody(shown);
    const text = JSON.stringify(body);
    const key = sent.current?.body === text ? sent.current.key : idempotencyKey();
    sent.current = { body: text, key };
    try {
      const made = await unwrap(api.POST('/v1/projects', { body, headers: { 'Idempotency-Key': key } }));
      navigate(projectPath(made.code));
    } catch (error) {
      setFailure(asFailure(error));
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New project</h2>
      {from === null ? null : (
        <p className="notice notice-ok">
          Prefilled from the project text <code>{from}</code> that instances carry. Instances keep the text
          they were started with; new starts name the project by its code.
        </p>
      )}
      <ProjectForm
        id={id}
        draft={shown}
        onChange={setDraft}
        phases={phases.data?.phases ?? []}
        withCode
        failure={failure}
        refusalTitle="The project was not created"
        summaryRef={summaryRef}
        busy={busy}
        submitLabel="Create project"
        onSubmit={(e) => void submit(e)}
        notice={
          failure?.code === 'project-exists' ? (
            <p className="notice notice-warning">
              <Link to={projectPath(shown.code.trim())}>Open {shown.code.trim()}</Link>, which has this code.
            </p>
          ) : null
        }
        extra={
          <Link className="button button-quiet" to="/portfolio">
            Cancel
          </Link>
        }
      />
    </section>
  );
}
