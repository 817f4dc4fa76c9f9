// "What to send where": the signed-in person's notification preferences (GET/PUT
// /v1/me/notification-preferences). A table with a row per kind of notification and a column
// per channel (e-mail, chat); the list in Charter always gets everything, so it is said, not
// offered. Below it the daily digest, which gathers single mails into one at the start of the
// working day, and quiet hours inside the working day. Saved whole: the last save wins.
import { type FormEvent, useId, useState } from 'react';
import { CHANNELS, NOTICE_KINDS, type NotificationPreferences } from '../../../../engine/notices/types.js';
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Loaded } from '../../components/states.js';
import {
  CHANNEL_LABELS,
  KIND_LABELS,
  type PreferencesDraft,
  preferencesBody,
  preferencesDraft,
  toggled,
} from './drafts.js';
import {
  bodyProblems,
  describedBy,
  Field,
  FieldProblemText,
  type Place,
  problemAt,
  RefusalSummary,
  SaveStatus,
  useSave,
} from './form-parts.js';

export function PreferencesForm() {
  const id = useId();
  const read = useLive(
    'me:notification-preferences',
    () => unwrap(api.GET('/v1/me/notification-preferences')),
    { live: false },
  );
  return (
    <section className="card settings-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>What to send where</h2>
      <Loaded read={read} what="your notification preferences">
        {(preferences) => <PreferencesFields initial={preferences} />}
      </Loaded>
    </section>
  );
}

function PreferencesFields({ initial }: { initial: NotificationPreferences }) {
  const id = useId();
  const [draft, setDraft] = useState<PreferencesDraft>(() => preferencesDraft(initial));
  const { busy, failure, saved, summaryRef, submit } = useSave(
    'Saved. Notifications follow these choices from now on.',
  );
  const change = (part: Partial<PreferencesDraft>): void => setDraft((d) => ({ ...d, ...part }));
  const save = (event: FormEvent): Promise<void> =>
    submit(
      event,
      () => unwrap(api.PUT('/v1/me/notification-preferences', { body: preferencesBody(draft) })),
      (answer) => setDraft(preferencesDraft(answer)),
    );

  const problems = bodyProblems(failure);
  const at = (path: string): string | undefined => problemAt(problems, path);
  const box = (kind: string, channel: string): string => `${id}-${kind}-${channel}`;
  const places: Record<string, Place> = {
    ...Object.fromEntries(
      NOTICE_KINDS.map((kind) => [
        `channels.${kind}`,
        { label: KIND_LABELS[kind], control: box(kind, 'email') },
      ]),
    ),
    digest: { label: 'Daily digest', control: `${id}-digest` },
    quietHours: { label: 'Quiet hours', control: `${id}-quiet-on` },
    'quietHours.from': { label: 'Quiet from', control: `${id}-quiet-from` },
    'quietHours.to': { label: 'Quiet until', control: `${id}-quiet-to` },
  };
  const quietProblem = problems.find((p) => p.path === 'quietHours')?.message;

  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      {failure ? (
        <RefusalSummary
          ref={summaryRef}
          failure={failure}
          title="The preferences were not saved"
          places={places}
        />
      ) : null}
      <p className="field-help" id={`${id}-table-help`}>
        Your list in Charter (the bell at the top) always gets every notification. Choose what also comes by
        e-mail and by chat; chat needs a webhook under “How to reach you”.
      </p>
      <div className="table-wrap">
        <table className="data settings-kinds" aria-describedby={`${id}-table-help`}>
          <caption className="visually-hidden">E-mail and chat for each kind of notification</caption>
          <thead>
            <tr>
              <th scope="col">Notification</th>
              {CHANNELS.map((channel) => (
                <th scope="col" key={channel}>
                  {CHANNEL_LABELS[channel]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {NOTICE_KINDS.map((kind) => {
              const problem = at(`channels.${kind}`);
              return (
                <tr key={kind}>
                  <th scope="row">
                    {KIND_LABELS[kind]}
                    <FieldProblemText id={`${id}-${kind}-problem`} problem={problem} />
                  </th>
                  {CHANNELS.map((channel) => (
                    <td key={channel} className="settings-check-cell">
                      <input
                        type="checkbox"
                        id={box(kind, channel)}
                        checked={draft.channels[kind].includes(channel)}
                        aria-invalid={problem === undefined ? undefined : true}
                        aria-describedby={problem === undefined ? undefined : `${id}-${kind}-problem`}
                        onChange={(e) =>
                          change({
                            channels: {
                              ...draft.channels,
                              [kind]: toggled(draft.channels[kind], channel, e.target.checked),
                            },
                          })
                        }
                      />
                      <label htmlFor={box(kind, channel)} className="visually-hidden">
                        {CHANNEL_LABELS[channel]}: {KIND_LABELS[kind]}
                      </label>
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <div className="field field-check settings-digest">
        <div className="check-line">
          <input
            type="checkbox"
            id={`${id}-digest`}
            checked={draft.digest}
            aria-describedby={describedBy(
              `${id}-digest-help`,
              at('digest') !== undefined && `${id}-digest-problem`,
            )}
            aria-invalid={at('digest') === undefined ? undefined : true}
            onChange={(e) => change({ digest: e.target.checked })}
          />
          <label htmlFor={`${id}-digest`}>Daily digest instead of single mails</label>
        </div>
        <p className="field-help" id={`${id}-digest-help`}>
          One mail at the start of your working day with everything since the last one. Chat messages still
          come one by one.
        </p>
        <FieldProblemText id={`${id}-digest-problem`} problem={at('digest')} />
      </div>

      <fieldset
        className="field settings-quiet"
        aria-describedby={describedBy(
          `${id}-quiet-help`,
          quietProblem !== undefined && `${id}-quiet-problem`,
        )}
      >
        <legend>Quiet hours</legend>
        <p className="field-help" id={`${id}-quiet-help`}>
          Hours inside your working day without mail or chat (a lunch break, a focus block). What comes
          meanwhile waits until they end.
        </p>
        <div className="settings-options">
          <div className="check-line">
            <input
              type="radio"
              id={`${id}-quiet-off`}
              name={`${id}-quiet`}
              checked={!draft.quiet}
              onChange={() => change({ quiet: false })}
            />
            <label htmlFor={`${id}-quiet-off`}>None</label>
          </div>
          <div className="check-line">
            <input
              type="radio"
              id={`${id}-quiet-on`}
              name={`${id}-quiet`}
              checked={draft.quiet}
              onChange={() => change({ quiet: true })}
            />
            <label htmlFor={`${id}-quiet-on`}>Quiet from … until …</label>
          </div>
        </div>
        <FieldProblemText id={`${id}-quiet-problem`} problem={quietProblem} />
        {draft.quiet ? (
          <div className="settings-hours">
            <Field id={`${id}-quiet-from`} label="Quiet from" problem={at('quietHours.from')}>
              {(control) => (
                <input
                  {...control}
                  type="time"
                  value={draft.quietFrom}
                  onChange={(e) => change({ quietFrom: e.target.value })}
                />
              )}
            </Field>
            <Field id={`${id}-quiet-to`} label="Quiet until" problem={at('quietHours.to')}>
              {(control) => (
                <input
                  {...control}
                  type="time"
                  value={draft.quietTo}
                  onChange={(e) => change({ quietTo: e.target.value })}
                />
              )}
            </Field>
          </div>
        ) : null}
      </fieldset>

      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save what to send where'}
        </button>
      </p>
      <SaveStatus text={saved} />
    </form>
  );
}
