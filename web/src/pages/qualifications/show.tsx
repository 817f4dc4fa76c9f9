// How the qualification screens show what the API answers: the answer types, a day (the API's
// YYYY-MM-DD, written out in the browser's locale, the ISO day kept in `dateTime`), a validity
// ("12 months", "does not expire") and a standing, in words and a badge, never in colour alone:
// "Valid until 14 Mar 2028" (the last valid day, as the API gives it), "Expired on 15 Mar 2028",
// "Not completed".
import type { paths } from '../../api-client/client.js';

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;

export type QualificationEntry = Json<paths['/v1/qualifications/{id}']['get']['responses']['200']>;
export type Holder = Json<
  paths['/v1/qualifications/{id}/holders']['get']['responses']['200']
>['items'][number];
export type Standing = Holder['standing'];
export type CompletionRecord = Holder['latest'];
export type MyQualification = Json<
  paths['/v1/me/qualifications']['get']['responses']['200']
>['items'][number];
export type ImportAnswer = Json<paths['/v1/qualifications/completions/import']['post']['responses']['200']>;

export const qualificationPath = (id: string): string => `/qualifications/${encodeURIComponent(id)}`;

// Days are calendar days, not instants: formatted in UTC so that no zone moves them a day.
const DAY = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

export function showDay(day: string): string {
  const at = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? day : DAY.format(at);
}

export function Day({ day }: { day: string }) {
  return <time dateTime={day}>{showDay(day)}</time>;
}

export const validityText = (months: number | null): string =>
  months === null ? 'does not expire' : months === 1 ? '1 month' : `${months} months`;

/** The badge and the words of a standing; `long` adds when it was completed. */
export function StandingText({ standing, long = false }: { standing: Standing; long?: boolean }) {
  if (standing.status === 'never') return <span className="badge badge-pending">Not completed</span>;
  const completed = long ? (
    <>
      {' '}
      (completed <Day day={standing.completedOn} />)
    </>
  ) : null;
  if (standing.status === 'expired') {
    return (
      <span>
        <span className="badge badge-rejected">Expired</span> on <Day day={standing.on} />
        {completed}
      </span>
    );
  }
  return (
    <span>
      <span className="badge badge-approved">Valid</span>{' '}
      {standing.until === null ? (
        'for good'
      ) : (
        <>
          until <Day day={standing.until} />
        </>
      )}
      {completed}
    </span>
  );
}

/** Evidence as given; a link when it is one (opened in a new tab, never followed by Charter). */
export function Evidence({ text }: { text: string | null }) {
  if (text === null) return <span className="muted">none</span>;
  if (/^https?:\/\/\S+$/.test(text)) {
    return (
      <a href={text} target="_blank" rel="noreferrer noopener">
        {text}
      </a>
    );
  }
  return <span>{text}</span>;
}
