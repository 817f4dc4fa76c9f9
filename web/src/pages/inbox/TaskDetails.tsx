// What the task's panel shows about the request behind it: the input it was started with, why
// the task is the signed-in person's (assignee or stand-in, the engine's explanation of the step,
// what the instance waits for), and its history (every decision and event, oldest first).
import { useState } from 'react';
import { formatMoney } from '../../../../engine/expr/money.js';
import { isMoney } from '../../../../engine/expr/values.js';
import type { paths } from '../../api-client/client.js';
import { shortInstant } from './due-text.js';
import type { Task } from './inbox-data.js';

export type Instance = paths['/v1/instances/{id}']['get']['responses']['200']['content']['application/json'];

/** How many history entries show before "Show all". */
const HISTORY_SHOWN = 30;

const label = (field: string): string =>
  field
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toUpperCase());

function valueText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return new Intl.NumberFormat().format(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(valueText).join(', ');
  if (value !== null && typeof value === 'object') {
    const v = value as {
      amount?: unknown;
      currency?: unknown;
      unit?: unknown;
      business?: unknown;
      calendar?: unknown;
    };
    // Exact, as the engine's explanations write it: Intl would round to the currency's cents and,
    // given a number, lose the digits of amounts beyond 15 significant ones.
    if (isMoney(value)) return formatMoney(value);
    if (typeof v.amount === 'number' && typeof v.unit === 'string') {
      const unit = `${v.business === true ? 'business ' : ''}${v.unit}${v.amount === 1 ? '' : 's'}`;
      return `${v.amount} ${unit}${typeof v.calendar === 'string' ? ` on ${v.calendar}` : ''}`;
    }
  }
  return JSON.stringify(value);
}

export function RequestInput({ instance }: { instance: Instance }) {
  const input = instance.input;
  return (
    <section className="panel-section" aria-labelledby="panel-request">
      <h3 id="panel-request">The request</h3>
      <p className="panel-note">
        Started by {instance.startedBy} on {shortInstant(instance.startedAt)} · {instance.process}
        {instance.project ? ` · project ${instance.project}` : ''}
      </p>
      {input === null ? (
        <p className="panel-note">The input of this request is not available yet.</p>
      ) : (
        <dl className="inbox-input">
          {Object.entries(input).map(([field, value]) => (
            <div key={field}>
              <dt>{label(field)}</dt>
              <dd>{valueText(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

export function WhyYours({ task, instance, me }: { task: Task; instance: Instance | null; me: string }) {
  const waiting = instance?.blockedOn.filter((b) => b.step === task.step) ?? [];
  const explained = instance?.explanation?.filter((e) => e.step === task.step) ?? [];
  return (
    <section className="panel-section" aria-labelledby="panel-why">
      <h3 id="panel-why">Why this is yours</h3>
      <p>
        {task.onBehalfOf ? (
          <>
            You stand in for <strong>{task.onBehalfOf}</strong>, who is asked to decide: their delegation (or
            absence) names you. You act on their behalf.
          </>
        ) : task.assignees.includes(me) ? (
          <>
            You are asked to decide <code>{task.step}</code>.
          </>
        ) : (
          <>You can see this task through your role; you are not one of its assignees.</>
        )}
      </p>
      <p className="panel-note">
        Assignees:{' '}
        {task.assignees.map((a, i) => (
          <span key={a}>
            {i > 0 ? ', ' : ''}
            {a}
            {a === me ? ' (you)' : ''}
          </span>
        ))}
      </p>
      {waiting.length > 0 || task.blockedOn ? (
        <ul className="inbox-why">
          {waiting.map((b) => (
            <li key={`${b.step}:${b.text}`}>{b.text}</li>
          ))}
          {task.blockedOn && !waiting.some((b) => b.text === task.blockedOn) ? (
            <li>{task.blockedOn}</li>
          ) : null}
        </ul>
      ) : null}
      {explained.length > 0 ? (
        <>
          <h4>How the policy decided this</h4>
          <ul className="inbox-why">
            {explained.map((e) => (
              <li key={e.seq}>{e.text}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export function History({ instance }: { instance: Instance }) {
  const [all, setAll] = useState(false);
  const events = instance.timeline;
  const shown = all ? events : events.slice(-HISTORY_SHOWN);
  return (
    <section className="panel-section" aria-labelledby="panel-history">
      <h3 id="panel-history">Earlier decisions and events</h3>
      {events.length > shown.length ? (
        <button type="button" className="button button-quiet" onClick={() => setAll(true)}>
          Show all {events.length} entries
        </button>
      ) : null}
      <ol className="inbox-history">
        {shown.map((e) => (
          <li key={e.seq} className={e.actor ? 'is-decision' : undefined}>
            <time dateTime={e.at}>{shortInstant(e.at)}</time>
            <span>
              {e.text}
              {e.outcome ? <span className={`badge badge-${e.outcome}`}>{e.outcome}</span> : null}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
