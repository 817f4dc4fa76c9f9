// Publishing from the studio, after a confirmation that says what will be published: the policy's
// name, version and effective date as the text declares them, and the files that go with it.
// The server checks again and decides (POST /v1/policies with `entry` and `files`); a refusal is
// shown here with the API's sentence and code, and its diagnostics go back to the editor, where
// they are underlined at their places. Nothing typed is lost: the draft stays in the page and in
// sessionStorage whatever the answer. When a version is already published, the confirmation also
// shows what changes and the impact on finished requests (PublishChanges), and takes the author's
// note, "why this change", which is kept with the version.
import { type FormEvent, useId, useRef, useState } from 'react';
import type { CompiledPolicy } from '../../../../engine/ir/types.js';
import { type ApiFailure, api, asFailure, idempotencyKey } from '../../api-client/client.js';
import { failureOf } from '../../api-client/failure.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/states.js';
import type { Draft, DraftHeader } from './draft.js';
import { PublishChanges } from './PublishChanges.js';
import { type DiagnosticJson, diagnosticsInError } from './problems.js';

export interface Published {
  status: 'published' | 'unchanged';
  policy: { name: string; version: number; effective: string; sha256: string; processes: string[] };
  diagnostics: DiagnosticJson[];
}

interface PublishDialogProps {
  draft: Draft;
  header: DraftHeader;
  warnings: number;
  /** The draft compiled in the page (null only while it is being checked). */
  compiled: CompiledPolicy | null;
  onPublished: (answer: Published) => void;
  /** The server refused: its diagnostics (possibly none) to show in the editor. */
  onRefused: (diagnostics: DiagnosticJson[], sent: Record<string, string>) => void;
  onCancel: () => void;
}

/** A calendar date (`2026-03-01`) in the reader's words, without shifting it by a time zone. */
export const dayText = (isoDay: string): string => {
  const date = new Date(`${isoDay}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? isoDay
    : date.toLocaleDateString(undefined, { dateStyle: 'long', timeZone: 'UTC' });
};

async function publish(draft: Draft, note: string, key: string): Promise<Published> {
  const answer = await api
    .POST('/v1/policies', {
      params: { header: { 'Idempotency-Key': key } },
      body: { entry: draft.entry, files: draft.files, ...(note === '' ? {} : { note }) },
    })
    .catch((error: unknown) => {
      throw asFailure(error);
    });
  if (answer.response.ok && answer.data) return answer.data;
  throw Object.assign(failureOf(answer.response.status, answer.error), {
    diagnostics: diagnosticsInError(answer.error),
  });
}

export function PublishDialog({
  draft,
  header,
  warnings,
  compiled,
  onPublished,
  onRefused,
  onCancel,
}: PublishDialogProps) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<(ApiFailure & { diagnostics?: DiagnosticJson[] }) | null>(null);
  // One key per text sent: a retried click after a lost answer does not publish twice.
  const key = useRef(idempotencyKey());
  const files = Object.keys(draft.files);
  const noteId = useId();
  const noteHelpId = useId();
  const noteProblemId = useId();
  const [note, setNote] = useState('');

  const confirm = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    const sent = { ...draft.files };
    try {
      onPublished(await publish(draft, note.trim(), key.current));
    } catch (error) {
      const refused = error as ApiFailure & { diagnostics?: DiagnosticJson[] };
      setFailure(refused);
      onRefused(refused.diagnostics ?? [], sent);
      key.current = idempotencyKey();
      setBusy(false);
    }
  };

  const refusedWith = failure?.diagnostics ?? [];
  const noteProblem = failure?.problems.find((p) => p.path === 'body.note') ?? null;
  return (
    <Dialog
      title={`Publish ${header.name} version ${header.version}?`}
      className="studio-publish-dialog"
      onCancel={onCancel}
      description={
        <p>
          A published version cannot be changed: a later change is a new version. Requests already running
          keep the version they started under.
        </p>
      }
    >
      <form onSubmit={(e) => void confirm(e)} noValidate>
        <dl className="studio-publish-facts">
          <dt>Policy</dt>
          <dd>{header.name}</dd>
          <dt>Version</dt>
          <dd>{header.version}</dd>
          <dt>In effect from</dt>
          <dd>
            {dayText(header.effective)} <span className="field-help">({header.effective})</span>
          </dd>
          <dt>Owner</dt>
          <dd>{header.owner ?? 'not declared'}</dd>
          <dt>Files</dt>
          <dd>{files.join(', ')}</dd>
        </dl>
        {compiled ? <PublishChanges name={header.name} draft={draft} compiled={compiled} /> : null}
        <div className="field">
          <label htmlFor={noteId}>Why this change (optional)</label>
          <p id={noteHelpId} className="field-help">
            Kept with the version and shown beside it on the Policies screen.
          </p>
          <textarea
            id={noteId}
            value={note}
            rows={3}
            maxLength={2000}
            aria-describedby={noteProblem ? `${noteHelpId} ${noteProblemId}` : noteHelpId}
            aria-invalid={noteProblem ? true : undefined}
            onChange={(e) => {
              setNote(e.target.value);
              // A retried publish with another note is another request.
              key.current = idempotencyKey();
            }}
          />
          {noteProblem ? (
            <p id={noteProblemId} className="field-problem">
              {noteProblem.message}
            </p>
          ) : null}
        </div>
        {warnings > 0 ? (
          <p className="notice notice-warning">
            The checker has {warnings === 1 ? '1 warning' : `${warnings} warnings`}; they do not stop
            publishing.
          </p>
        ) : null}
        {failure ? <ErrorNotice failure={failure} title="Not published" /> : null}
        {refusedWith.length > 0 ? (
          <ul className="studio-refusals">
            {refusedWith.map((d) => (
              <li key={`${d.file}:${d.line}:${d.col}:${d.code}`}>
                {d.file}:{d.line}:{d.col} <code>{d.code}</code> {d.message}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="actions dialog-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Publishing…' : `Publish version ${header.version}`}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Keep editing
          </button>
        </div>
      </form>
    </Dialog>
  );
}
