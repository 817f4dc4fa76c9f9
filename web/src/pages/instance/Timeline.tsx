// What happened to the instance, oldest first: each fact of its audit ledger with its time, its
// sentence, who acted (and for whom), its outcome, and the reasons the engine gave, each reason
// with a link to the policy text that decided. Decisions the running workflow has made but whose
// ledger entry is still being written show at the end, marked so.
import { useState } from 'react';
import { byLine, formatInstant, outcomeClass } from './format.js';
import { eventSpan, type InstanceDetail, type Reason, spanOf, type TimelineEvent } from './reads.js';
import { SourceLink, type SourcePlace } from './SourceExcerpt.js';

/** Events shown before "show earlier": the latest ones are what people come for. */
const RECENT = 40;

const TYPE_WORD: Record<string, string> = {
  started: 'started',
  ended: 'ended',
  action: 'action',
  decision: 'decision',
  refused: 'refused attempt',
};

/** The ledger's own chain and the refused attempts' chain both count from 1: keys keep them apart. */
const keyOf = (event: TimelineEvent): string => `${event.type === 'refused' ? 'r' : 'e'}${event.seq}`;

interface Pending {
  seq: number;
  at: string;
  step: string | null;
  text: string;
}

/** The workflow's decisions beyond the last one stored (the ledger is written right after). */
function notYetStored(detail: InstanceDetail): Pending[] {
  const stored = detail.timeline
    .filter((e) => e.type !== 'refused')
    .reduce((max, e) => Math.max(max, e.seq), 0);
  return (detail.explanation ?? []).filter((d) => d.seq > stored);
}

export function Timeline({
  detail,
  stepLines,
}: {
  detail: InstanceDetail;
  stepLines: ReadonlyMap<string, number>;
}) {
  const [all, setAll] = useState(false);
  const events = [...detail.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq);
  const hidden = all ? 0 : Math.max(0, events.length - RECENT);
  const pending = notYetStored(detail);
  if (events.length === 0 && pending.length === 0) {
    return (
      <p className="state">Nothing is recorded yet: the first facts arrive within seconds of the start.</p>
    );
  }
  return (
    <>
      {hidden > 0 ? (
        <button type="button" className="button button-quiet" onClick={() => setAll(true)}>
          Show {hidden} earlier {hidden === 1 ? 'event' : 'events'}
        </button>
      ) : null}
      <ol className="timeline">
        {events.slice(hidden).map((event) => (
          <EventItem
            key={keyOf(event)}
            event={event}
            stepLine={event.step === null ? undefined : stepLines.get(event.step)}
          />
        ))}
        {pending.map((d) => (
          <li key={`p${d.seq}`} className="event event-pending">
            <p className="event-head">
              <time dateTime={d.at}>{formatInstant(d.at)}</time>
              <span className="badge badge-neutral">being recorded</span>
              {d.step ? <code>{d.step}</code> : null}
            </p>
            <p className="event-text">{d.text}</p>
          </li>
        ))}
      </ol>
    </>
  );
}

function EventItem({ event, stepLine }: { event: TimelineEvent; stepLine: number | undefined }) {
  const by = byLine(event.actor, event.onBehalfOf);
  const own = eventSpan(event);
  const place: SourcePlace | null = own ?? (stepLine === undefined ? null : { processLine: stepLine });
  return (
    <li className={`event event-${event.type}`}>
      <p className="event-head">
        <time dateTime={event.at}>{formatInstant(event.at)}</time>
        <span className="event-type">{TYPE_WORD[event.type] ?? event.type}</span>
        {event.step ? <code>{event.step}</code> : null}
        {event.outcome ? (
          <span className={`badge ${outcomeClass(event.outcome)}`}>{event.outcome}</span>
        ) : null}
      </p>
      <p className="event-text">{event.text}</p>
      {by ? <p className="event-by">{by}</p> : null}
      {event.reasons.length > 0 ? (
        <div className="reasons">
          <p className="reasons-title">Because</p>
          <ul>
            {event.reasons.map((reason, i) => (
              <ReasonItem key={i} reason={reason} />
            ))}
          </ul>
        </div>
      ) : null}
      {place ? (
        <div className="event-source">
          <SourceLink place={place} />
        </div>
      ) : null}
    </li>
  );
}

function ReasonItem({ reason }: { reason: Reason }) {
  const span = spanOf(reason['span']);
  return (
    <li>
      <span className="reason-text">{reason.text}</span>
      {span ? <SourceLink place={span} /> : null}
    </li>
  );
}
