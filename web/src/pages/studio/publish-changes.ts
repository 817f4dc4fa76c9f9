// What publishing the draft would change, read for the confirmation: the version in force (as the
// Policies screen picks it, policies/catalogue.ts), the draft's compiled IR compared with its IR
// in the page (engine/ir diffPolicies, as GET /v1/policies/{name}/diff compares two published
// versions, api/policies/diff.ts) with the source texts line by line (engine/text/line-diff.ts),
// and what the draft would have done to the last finished requests of that version
// (POST /v1/policies/{name}/impact, replayed by the server).
import { diffPolicies, type PolicyDiff } from '../../../../engine/ir/diff.js';
import type { CompiledPolicy, PolicyIR } from '../../../../engine/ir/types.js';
import { sourceDiffs } from '../../../../engine/text/source-diff.js';
import { api, idempotencyKey, type paths, unwrap } from '../../api-client/client.js';
import { catalogueOf, type ListedVersion, utcDay } from '../policies/catalogue.js';
import type { SourceDiff } from '../policies/comparison.js';
import type { Draft } from './draft.js';

export type Impact =
  paths['/v1/policies/{name}/impact']['post']['responses']['200']['content']['application/json'];

export interface Baseline {
  version: number;
  /** Whether it is the version new requests start under today (else the newest published). */
  inForce: boolean;
}

export interface DraftChanges {
  base: Baseline;
  diff: PolicyDiff;
  sources: SourceDiff[];
}

const PAGE = 500;
const MOST = 10_000;

/** Every published version of `name` (the list is paged over all policies). */
async function versionsOf(name: string): Promise<ListedVersion[]> {
  const found: ListedVersion[] = [];
  let cursor: string | null = null;
  let read = 0;
  do {
    const query: { limit: number; cursor?: string } =
      cursor === null ? { limit: PAGE } : { limit: PAGE, cursor };
    const page = await unwrap(api.GET('/v1/policies', { params: { query } }));
    found.push(...page.items.filter((v) => v.name === name));
    read += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== null && read < MOST);
  return found;
}

/** The version to compare with: the one in force, else the newest; null when none is published. */
export async function baselineOf(name: string): Promise<Baseline | null> {
  const versions = await versionsOf(name);
  const entry = catalogueOf(versions, utcDay(new Date()))[0];
  if (!entry || entry.versions.length === 0) return null;
  if (entry.inForce !== null) return { version: entry.inForce, inForce: true };
  const newest = entry.versions[0]?.version.version;
  return newest === undefined ? null : { version: newest, inForce: false };
}

/** The draft's changes against `base` (its sources in the order the compiler read them). */
export async function changesOf(
  name: string,
  base: Baseline,
  draft: Draft,
  compiled: CompiledPolicy,
): Promise<DraftChanges> {
  const published = await unwrap(
    api.GET('/v1/policies/{name}/versions/{version}', { params: { path: { name, version: base.version } } }),
  );
  // The API serves the stored IR as JSON; it is the IR its own diff compares.
  const diff = diffPolicies(published.ir as unknown as PolicyIR, compiled.ir);
  const drafted = compiled.ir.sources.map((s) => ({ path: s.path, text: draft.files[s.path] ?? '' }));
  return { base, diff, sources: sourceDiffs(published.sources, drafted) };
}

/** The server's replay of the base version's `last` finished requests through the draft. */
export const impactOf = (name: string, base: Baseline, draft: Draft, last: number): Promise<Impact> =>
  unwrap(
    api.POST('/v1/policies/{name}/impact', {
      params: { path: { name }, header: { 'Idempotency-Key': idempotencyKey() } },
      // With none in force the server would refuse (409 not-in-force): compare with the newest.
      body: {
        entry: draft.entry,
        files: draft.files,
        last,
        ...(base.inForce ? {} : { baseVersion: base.version }),
      },
    }),
  );
