// The conversation on a task: its comments, oldest first and live (the requester or another
// approver may answer while the panel is open), and a field to add one with @mentions. The API
// refuses a mention of someone the directory does not know (422 at body.text): that sentence is
// shown under the field, and the text stays for correcting.
import { type FormEvent, useId, useState } from 'react';
import { api, idempotencyKey, unwrap, asFailure } from '../../api-client/client.js';
import type { paths, ApiFailure } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { ErrorNotice, Loaded } from '../../components/states.js';
import { shortInstant } from './due-text.js';
import { MentionField } from './MentionField.js';

type Comment =
  paths['/v1/tasks/{id}/comments']['get']['responses']['200']['content']['application/json']['items'][number];

/** One page: a conversation longer than this shows its newest part with a note. */
const COMMENTS_LIMIT = 200;

export function TaskComments({ taskId, canWrite }: { taskId: string; canWrite: boolean }) {
  const fieldId = useId();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const comments = useLive(`comments:${taskId}`, () =>
    unwrap(
      api.GET('/v1/tasks/{id}/comments', {
        params: { path: { id: taskId }, query: { limit: COMMENTS_LIMIT } },
      }),
    ),
  );

  const post = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (text.trim() === '' || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await unwrap(
        api.POST('/v1/tasks/{id}/comments', {
          params: { path: { id: taskId }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { text },
        }),
      );
      setText('');
      await comments.reload();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const textProblem = failure?.problems.find((p) => p.path === 'body.text')?.message ?? null;
  return (
    <section className="panel-section" aria-labelledby="panel-comments">
      <h3 id="panel-comments">Comments</h3>
      <Loaded read={comments} what="the comments">
        {(page) =>
          page.items.length === 0 ? (
            <p className="panel-note">No comments yet.</p>
          ) : (
            <ol className="inbox-comments">
              {page.items.map((c: Comment) => (
                <li key={c.id}>
                  <p className="inbox-comment-head">
                    <strong>{c.author}</strong> <time dateTime={c.at}>{shortInstant(c.at)}</time>
                  </p>
                  <p className="inbox-comment-text">{c.text}</p>
                </li>
              ))}
              {page.nextCursor ? <li className="panel-note">Older comments are not shown.</li> : null}
            </ol>
          )
        }
      </Loaded>
      {canWrite ? (
        <form onSubmit={(e) => void post(e)} className="inbox-comment-form" noValidate>
          <div className="field">
            <label htmlFor={fieldId}>Add a comment</label>
            <MentionField
              id={fieldId}
              value={text}
              onChange={setText}
              disabled={busy}
              invalid={textProblem !== null}
              describedBy={`${fieldId}-${textProblem ? 'problem' : 'help'}`}
            />
            {textProblem ? (
              <p className="field-problem" id={`${fieldId}-problem`}>
                {textProblem} <code className="code-tag">{failure?.code}</code>
              </p>
            ) : (
              <p className="field-help" id={`${fieldId}-help`}>
                Type @ and part of a name to mention someone; they are notified.
              </p>
            )}
          </div>
          {failure && !textProblem ? (
            <ErrorNotice failure={failure} title="Could not post the comment" />
          ) : null}
          <button type="submit" className="button" disabled={busy || text.trim() === ''}>
            {busy ? 'Posting…' : 'Post comment'}
          </button>
        </form>
      ) : null}
    </section>
  );
}
