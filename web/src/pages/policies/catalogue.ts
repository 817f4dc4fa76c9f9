// The policy catalogue as the Policies page shows it: every policy with its versions newest first,
// which version is in force today, and what each of the others is (retired, waiting for its
// effective day, or left behind by a newer one). The version in force is picked as the API picks
// it for a new request (store/policies.ts newestInEffect): the highest version whose effective day
// (UTC) has come and that is not retired, so retiring the version in force puts the one before it
// back in force. Pure, so it is tested without a browser.
import type { paths } from '../../api-client/client.js';

export type ListedVersion =
  paths['/v1/policies']['get']['responses']['200']['content']['application/json']['items'][number];
export type Retired = NonNullable<ListedVersion['retired']>;

export type VersionState =
  | { kind: 'inForce' }
  | { kind: 'retired'; retired: Retired }
  /** Its effective day has not come yet. */
  | { kind: 'upcoming' }
  /** Effective and not retired, but a newer version is in force. */
  | { kind: 'superseded'; by: number };

export interface VersionRow {
  version: ListedVersion;
  state: VersionState;
}

export interface PolicyEntry {
  name: string;
  /** The newest version's owner. */
  owner: string | null;
  /** The version new requests start under today; null when none. */
  inForce: number | null;
  /** The whole policy's retirement (no version starts any more), if any. */
  retired: Retired | null;
  /** Newest first. */
  versions: VersionRow[];
}

/** Today as the API compares effective days: YYYY-MM-DD in UTC. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

function stateOf(v: ListedVersion, inForce: number | null, today: string): VersionState {
  if (v.retired !== null) return { kind: 'retired', retired: v.retired };
  if (v.version === inForce) return { kind: 'inForce' };
  if (v.effective > today || inForce === null) return { kind: 'upcoming' };
  return { kind: 'superseded', by: inForce };
}

export function catalogueOf(items: readonly ListedVersion[], today: string): PolicyEntry[] {
  const byName = new Map<string, ListedVersion[]>();
  for (const item of items) byName.set(item.name, [...(byName.get(item.name) ?? []), item]);
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, all]) => {
      const newestFirst = [...all].sort((a, b) => b.version - a.version);
      const inForce = newestFirst.find((v) => v.effective <= today && v.retired === null)?.version ?? null;
      const retired = newestFirst.find((v) => v.retired?.wholePolicy === true)?.retired ?? null;
      return {
        name,
        owner: newestFirst[0]?.owner ?? null,
        inForce,
        retired,
        versions: newestFirst.map((version) => ({ version, state: stateOf(version, inForce, today) })),
      };
    });
}

/** The version in force today once `version` of `entry` is retired too (null: none). */
export function inForceWithout(entry: PolicyEntry, version: number, today: string): number | null {
  const next = entry.versions.find(
    ({ version: v }) => v.version !== version && v.retired === null && v.effective <= today,
  );
  return next?.version.version ?? null;
}

// dateStyle cannot be combined with timeZoneName (Intl throws), so the parts are named one by one.
const instant = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** An instant in the reader's own words, with its zone ("6 Dec 2026, 10:00 CET"). */
export function instantText(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : instant.format(at);
}

/** A YYYY-MM-DD day in the reader's own words ("12 Mar 2026"). */
export function dayText(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).toLocaleDateString(undefined, {
    dateStyle: 'medium',
  });
}
