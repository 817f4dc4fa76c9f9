// Words, marks and dates of the instance screen. A step's state is never told by colour alone:
// each has a mark and a word, the same in the diagram, its legend, the step list and the summary.
import type { GraphNode, StepState } from './reads.js';

export const STATE_ORDER: readonly StepState[] = ['done', 'current', 'failed', 'skipped', 'pending'];

export const STATE_MARK: Record<StepState, string> = {
  done: '✓',
  current: '●',
  failed: '✕',
  skipped: '–',
  pending: '○',
};

export const STATE_WORD: Record<StepState, string> = {
  done: 'done',
  current: 'current',
  failed: 'failed',
  skipped: 'skipped',
  pending: 'pending',
};

const KIND_WORD: Record<GraphNode['kind'], string> = {
  start: 'start',
  approve: 'approval',
  check: 'check',
  reallocate: 'reallocation',
  notify: 'notification',
  wait: 'wait',
  end: 'end',
  decision: 'decision',
  fork: 'parallel',
  join: 'join',
};

export const kindWord = (kind: GraphNode['kind']): string => KIND_WORD[kind];

/** The name a person reads for a node: step ids as written, the structural nodes in words. */
export function nodeName(node: Pick<GraphNode, 'id' | 'kind' | 'label'>): string {
  switch (node.kind) {
    case 'start':
      return 'Start';
    case 'end':
      return 'End';
    case 'decision':
      return `if (${node.id})`;
    case 'fork':
      return `parallel (${node.id})`;
    case 'join':
      return node.label;
    default:
      return node.id;
  }
}

const instantFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** An instant in the reader's locale and time zone, with the zone named. */
export const formatInstant = (iso: string): string => instantFormat.format(new Date(iso));

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 days", "2 hours ago": how far `iso` is from `now`, in the largest whole unit. */
export function fromNow(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.round(diff / ms), unit);
  }
  return relative.format(0, 'minute');
}

/** "change_request" reads as "Change request". */
export function humanise(id: string): string {
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The badge class of an event's or step's outcome: good, bad, or neutral. */
export function outcomeClass(outcome: string): string {
  if (/^(approved|passed|attested|waived|allocated|notified|waited|done)\b/.test(outcome))
    return 'badge-approved';
  if (/^(rejected|failed|timed out|blocked|refused)\b/.test(outcome)) return 'badge-rejected';
  if (outcome === 'cancelled') return 'badge-cancelled';
  return 'badge-neutral';
}

/** "by alice" or "by bob on behalf of alice". */
export function byLine(actor: string | null, onBehalfOf: string | null): string | null {
  if (actor === null) return null;
  return onBehalfOf !== null && onBehalfOf !== actor
    ? `by ${actor} on behalf of ${onBehalfOf}`
    : `by ${actor}`;
}
