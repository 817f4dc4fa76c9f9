// The published versions of every policy, read through all pages of GET /v1/policies: the chooser
// lists what can be started, and the form checks its version is still the one in effect.
import { api, unwrap } from '../../api-client/client.js';
import type { PolicyVersion } from './policies-in-effect.js';

const PAGE = 500;
/** More versions than a PMO publishes in years; a bound so a bad cursor loop cannot run away. */
const MOST = 10_000;

export async function readPublishedVersions(): Promise<PolicyVersion[]> {
  const versions: PolicyVersion[] = [];
  let cursor: string | null = null;
  do {
    const query: { limit: number; cursor?: string } =
      cursor === null ? { limit: PAGE } : { limit: PAGE, cursor };
    const page = await unwrap(api.GET('/v1/policies', { params: { query } }));
    versions.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && versions.length < MOST);
  return versions;
}

/** A YYYY-MM-DD day in the reader's own words ("12 Mar 2026"). */
export function dayText(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).toLocaleDateString(undefined, {
    dateStyle: 'medium',
  });
}
