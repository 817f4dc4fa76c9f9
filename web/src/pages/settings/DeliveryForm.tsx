// "How to reach you": a person's delivery profile (e-mail address, chat webhook, time zone,
// working days and hours), read once and saved whole with a PUT. The settings page uses it for
// the signed-in person (GET/PUT /v1/me/delivery) and the people screen for admins editing
// someone else (/v1/directory/people/{id}/delivery); the caller passes the read and the save.
// Mail and chat wait for the working hours, in the person's zone; a zone picked from the
// browser's list is one the server's Intl knows too.
import { type FormEvent, useId, useState } from 'react';
import type { DeliveryProfile } from '../../../../engine/notices/types.js';

import { useLive } from '../../app/live.js';
import { Loaded } from '../../components/states.js';
import {
  browserZone,
  type ChatChoice,
  DAYS,
  type DeliveryDraft,
  deliveryBody,
  deliveryDraft,
  hoursUnset,
  toggled,
  zoneChoices,
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

interface DeliveryFormProps {
  /** The card's heading: "How to reach you", "Edit how to reach Alice Meyer". */
  title: string;
  /** A key for the read (another person, another read). */
  readKey: string;
  read: () => Promise<DeliveryProfile>;
  save: (profile: DeliveryProfile) => Promise<DeliveryProfile>;
  /** Offer the browser's zone for a profile never set (only when people set their own). */
  suggestBrowserZone: boolean;
  /** The button's words, and the status after a save. */
  saveLabel: string;
  savedText: string;
}

const CHAT_CHOICES: { value: ChatChoice; label: string }[] = [
  { value: 'none', label: 'No chat' },
  { value: 'slack', label: 'Slack' },
  { value: 'teams', label: 'Microsoft Teams' },
];

export function DeliveryForm(props: DeliveryFormProps) {
  const id = useId();
  // Read once, not polled: a refresh must not overwrite what is being typed.
  const read = useLive(props.readKey, props.read, { live: false });
  return (
    <section className="card settings-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{props.title}</h2>
      <Loaded read={read} what="the contact details">
        {(profile) => <DeliveryFields {...props} initial={profile} />}
      </Loaded>
    </section>
  );
}

function DeliveryFields({
  initial,
  save,
  suggestBrowserZone,
  saveLabel,
  savedText,
}: DeliveryFormProps & { initial: DeliveryProfile }) {
  const id = useId();
  const [draft, setDraft] = useState<DeliveryDraft>(() =>
    deliveryDraft(initial, suggestBrowserZone ? browserZone() : null),
  );
  const [unset, setUnset] = useState(() => hoursUnset(initial));
  const { busy, failure, saved, summaryRef, submit } = useSave(savedText);
  const change = (part: Partial<DeliveryDraft>): void => setDraft((d) => ({ ...d, ...part }));
  const submitForm = (event: FormEvent): Promise<void> =>
    submit(
      event,
      () => save(deliveryBody(draft)),
      (answer) => {
        setDraft(deliveryDraft(answer, null));
        setUnset(hoursUnset(answer));
      },
    );

  const problems = bodyProblems(failure);
  const at = (path: string): string | undefined => problemAt(problems, path);
  const places: Record<string, Place> = {
    email: { label: 'E-mail address', control: `${id}-email` },
    chat: { label: 'Chat', control: `${id}-chat-${draft.chat}` },
    'chat.url': { label: 'Webhook URL', control: `${id}-chat-url` },
    zone: { label: 'Time zone', control: `${id}-zone` },
    workingHours: { label: 'Working hours', control: `${id}-from` },
    'workingHours.days': { label: 'Working days', control: `${id}-day-mon` },
    'workingHours.from': { label: 'Working hours from', control: `${id}-from` },
    'workingHours.to': { label: 'Working hours until', control: `${id}-to` },
  };
  const chatProblem = at('chat.format') ?? problems.find((p) => p.path === 'chat')?.message;
  const daysProblem = at('workingHours.days');

  return (
    <form onSubmit={(e) => void submitForm(e)} noValidate>
      {failure ? (
        <RefusalSummary
          ref={summaryRef}
          failure={failure}
          title="The contact details were not saved"
          places={places}
        />
      ) : null}
      <div className="settings-grid">
        <Field
          id={`${id}-email`}
          label="E-mail address"
          help="Where mail goes. Leave it empty to get no mail."
          problem={at('email')}
        >
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="email"
              spellCheck={false}
              value={draft.email}
              onChange={(e) => change({ email: e.target.value })}
            />
          )}
        </Field>

        <Field
          id={`${id}-zone`}
          label="Time zone"
          help="Working hours, due dates and quiet hours are read in this zone."
          problem={at('zone')}
        >
          {(control) => (
            <select {...control} value={draft.zone} onChange={(e) => change({ zone: e.target.value })}>
              {zoneChoices(draft.zone).map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          )}
        </Field>

        <fieldset
          className="field settings-choice"
          aria-describedby={describedBy(`${id}-chat-help`, chatProblem !== undefined && `${id}-chat-problem`)}
        >
          <legend>Chat</legend>
          <div className="settings-options">
            {CHAT_CHOICES.map((choice) => (
              <div className="check-line" key={choice.value}>
                <input
                  type="radio"
                  id={`${id}-chat-${choice.value}`}
                  name={`${id}-chat`}
                  value={choice.value}
                  checked={draft.chat === choice.value}
                  onChange={() => change({ chat: choice.value })}
                />
                <label htmlFor={`${id}-chat-${choice.value}`}>{choice.label}</label>
              </div>
            ))}
          </div>
          <p className="field-help" id={`${id}-chat-help`}>
            Messages can also go to a Slack or Teams channel through its incoming webhook.
          </p>
          <FieldProblemText id={`${id}-chat-problem`} problem={chatProblem} />
        </fieldset>

        {draft.chat === 'none' ? null : (
          <Field
            id={`${id}-chat-url`}
            label="Webhook URL"
            help={`The incoming-webhook address of your ${draft.chat === 'slack' ? 'Slack' : 'Teams'} channel; it starts with https://.`}
            problem={at('chat.url')}
          >
            {(control) => (
              <input
                {...control}
                type="url"
                inputMode="url"
                spellCheck={false}
                autoComplete="off"
                value={draft.chatUrl}
                onChange={(e) => change({ chatUrl: e.target.value })}
              />
            )}
          </Field>
        )}

        <fieldset
          className="field settings-days"
          aria-describedby={describedBy(`${id}-days-help`, daysProblem !== undefined && `${id}-days-problem`)}
        >
          <legend>Working days</legend>
          <div className="settings-options settings-day-list">
            {DAYS.map(({ day, label }) => (
              <div className="check-line" key={day}>
                <input
                  type="checkbox"
                  id={`${id}-day-${day}`}
                  checked={draft.days.includes(day)}
                  aria-invalid={daysProblem === undefined ? undefined : true}
                  onChange={(e) => change({ days: toggled(draft.days, day, e.target.checked) })}
                />
                <label htmlFor={`${id}-day-${day}`}>{label}</label>
              </div>
            ))}
          </div>
          <p className="field-help" id={`${id}-days-help`}>
            Mail and chat wait for a working day; the list in Charter gets everything at once.
          </p>
          <FieldProblemText id={`${id}-days-problem`} problem={daysProblem} />
        </fieldset>

        <div className="settings-hours">
          <Field id={`${id}-from`} label="Working hours from" problem={at('workingHours.from')}>
            {(control) => (
              <input
                {...control}
                type="time"
                value={draft.from}
                onChange={(e) => change({ from: e.target.value })}
              />
            )}
          </Field>
          <Field id={`${id}-to`} label="Working hours until" problem={at('workingHours.to')}>
            {(control) => (
              <input
                {...control}
                type="time"
                value={draft.to}
                onChange={(e) => change({ to: e.target.value })}
              />
            )}
          </Field>
          {unset ? (
            <p className="field-help settings-hours-note">
              No working hours are saved yet, so messages come at any time. These are a suggestion until
              saved.
            </p>
          ) : null}
        </div>
      </div>
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : saveLabel}
        </button>
      </p>
      <SaveStatus text={saved} />
    </form>
  );
}
