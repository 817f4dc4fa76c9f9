// Changing a project, for the PMO and admins (PATCH /v1/projects/{code} with the version the form
// was filled from). When someone else saved the project in between, the API refuses with 409
// version-conflict rather than overwrite their change unseen: the form says so, reloads the
// project as it is now, and the person makes their change again on top of it.
import { type FormEvent, useId, useState } from 'react';
import { api, asFailure, type ApiFailure, unwrap } from '../../api-client/client.js';
import { SaveStatus, useFocusOnRefusal } from '../settings/form-parts.js';
import { draftOf, type Draft, patchBody } from './project-draft.js';
import { ProjectForm } from './ProjectForm.js';
import type { Project } from './project-view.js';

interface Editing {
  draft: Draft;
  /** The version the form was filled from: what the PATCH expects the project to be at. */
  version: number;
}

export function EditProject({
  project,
  phases,
  onSaved,
}: {
  project: Project;
  phases: readonly string[];
  /** Called once the project was saved (or reloaded after a conflict): the page reads it again. */
  onSaved: () => void;
}) {
  const id = useId();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const summaryRef = useFocusOnRefusal(failure);

  const open = (): void => {
    setEditing({ draft: draftOf(project), version: project.version });
    setFailure(null);
    setConflict(null);
    setSaved(null);
  };

  /** After a 409: the form filled anew from the project as it is now. */
  const reloadAfterConflict = async (refusal: ApiFailure): Promise<void> => {
    const fresh = await unwrap(api.GET('/v1/projects/{code}', { params: { path: { code: project.code } } }));
    setEditing({ draft: draftOf(fresh), version: fresh.version });
    setFailure(null);
    setConflict(
      `Not saved: someone else changed ${project.code} while you were editing (${refusal.message}). ` +
        `The form now shows the project as it is at version ${fresh.version}; make your change again and save.`,
    );
    onSaved();
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (editing === null) return;
    setBusy(true);
    setSaved(null);
    setConflict(null);
    try {
      const body = patchBody(editing.draft, editing.version);
      const after = await unwrap(
        api.PATCH('/v1/projects/{code}', { params: { path: { code: project.code } }, body }),
      );
      setEditing(null);
      setFailure(null);
      setSaved(
        after.version === editing.version
          ? 'Nothing to save: the project already reads like this.'
          : `Saved as version ${after.version}.`,
      );
      onSaved();
    } catch (error) {
      const refusal = asFailure(error);
      if (refusal.status === 409 && refusal.code === 'version-conflict') {
        await reloadAfterConflict(refusal).catch((e: unknown) => setFailure(asFailure(e)));
      } else {
        setFailure(refusal);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Edit project</h2>
      {editing === null ? (
        <>
          <p className="actions">
            <button type="button" className="button" onClick={open}>
              Edit {project.code}
            </button>
          </p>
          <SaveStatus text={saved} />
        </>
      ) : (
        <ProjectForm
          id={id}
          draft={editing.draft}
          onChange={(draft) => setEditing({ ...editing, draft })}
          phases={phases}
          withCode={false}
          failure={failure}
          refusalTitle={`${project.code} was not saved`}
          summaryRef={summaryRef}
          busy={busy}
          submitLabel="Save changes"
          onSubmit={(e) => void submit(e)}
          notice={
            <div aria-live="polite">
              {conflict ? (
                <p className="notice notice-warning" role="alert">
                  {conflict}
                </p>
              ) : null}
            </div>
          }
          extra={
            <button type="button" className="button button-quiet" onClick={() => setEditing(null)}>
              Cancel
            </button>
          }
        />
      )}
    </section>
  );
}
