// /policies, for the PMO, admins and auditors: every published policy with its versions (GET
// /v1/policies, every page), which version new requests start under today, and which versions are
// retired, by whom, when and why. PMO staff and admins retire a version or a whole policy through
// a confirmation that asks why (POST .../retire); the list then reads again, and what was done is
// said above it, where focus goes once the retired row's button is gone. With `?compare=<name>
// &from=<v>&to=<v>` the page shows what changed between two versions of a policy (DiffView).
import { useId, useRef, useState } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { useLocation } from '../../app/router.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { Empty, Loaded } from '../../components/states.js';
import { catalogueOf, inForceWithout, type ListedVersion, type PolicyEntry, utcDay } from './catalogue.js';
import { comparisonOf } from './comparison.js';
import { DiffView } from './DiffView.js';
import { PolicyCard } from './PolicyCard.js';
import { type Retired, RetireDialog, type RetireTarget } from './RetireDialog.js';

const PAGE = 500;
/** More versions than a PMO publishes in years; a bound so a bad cursor loop cannot run away. */
const MOST = 10_000;

interface Catalogue {
  items: ListedVersion[];
  /** When the instances per version were last counted (the first page's answer); null: never. */
  countedAt: string | null;
}

async function readEveryVersion(): Promise<Catalogue> {
  const items: ListedVersion[] = [];
  let countedAt: string | null = null;
  let cursor: string | null = null;
  do {
    const query: { limit: number; cursor?: string } =
      cursor === null ? { limit: PAGE } : { limit: PAGE, cursor };
    const page = await unwrap(api.GET('/v1/policies', { params: { query } }));
    if (items.length === 0) countedAt = page.instancesCountedAt;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && items.length < MOST);
  return { items, countedAt };
}

/** What a retirement did, in one sentence for the status line. */
function doneText({ status, retirement }: Retired): string {
  const what =
    retirement.version === null
      ? `The policy ${retirement.name}`
      : `Version ${retirement.version} of ${retirement.name}`;
  return status === 'unchanged'
    ? `${what} was already retired by ${retirement.by}; nothing changed.`
    : `${what} is retired. No new request starts under it.`;
}

/** The published versions of `name`, newest first (none while the list is loading). */
const versionsOf = (items: readonly ListedVersion[] | null, name: string): number[] =>
  (items ?? [])
    .filter((v) => v.name === name)
    .map((v) => v.version)
    .sort((a, b) => b - a);

export function PoliciesPage() {
  const who = useSignedIn();
  const comparison = comparisonOf(useLocation().query);
  const id = useId();
  const canRetire = hasRole(who, 'pmo', 'admin');
  const read = useLive('policies:catalogue', readEveryVersion, { intervalMs: 5_000 });
  const [target, setTarget] = useState<RetireTarget | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const today = utcDay(new Date());

  const open = (entry: PolicyEntry, version: number | null): void => {
    setDone(null);
    setTarget({
      name: entry.name,
      version,
      inForceAfter: version === null ? null : inForceWithout(entry, version, today),
    });
  };
  // The list is read again before the dialog closes, so the retired row's button is gone by then
  // and focus moves to the sentence saying what was done (Dialog's returnFocus).
  const retired = async (answer: Retired): Promise<void> => {
    await read.reload();
    setDone(doneText(answer));
    setTarget(null);
  };

  if (comparison !== null) {
    return <DiffView {...comparison} versions={versionsOf(read.data?.items ?? null, comparison.name)} />;
  }

  return (
    <section className="page policies" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Policies</h1>
      <p className="lead">
        Every published policy and its versions: which version new requests start under today, and which are
        retired. A request that is already running always finishes on the version it started under.
      </p>
      <div aria-live="polite">
        {done ? (
          <p ref={doneRef} className="notice notice-ok" tabIndex={-1}>
            {done}
          </p>
        ) : null}
      </div>
      <Loaded read={read} what="the policies">
        {({ items, countedAt }) => {
          const entries = catalogueOf(items, today);
          return entries.length === 0 ? (
            <Empty title="No policy is published yet">
              Authors publish policies with <code>charter publish</code>; they are listed here once they are.
            </Empty>
          ) : (
            <ul className="policy-catalogue">
              {entries.map((entry) => (
                <PolicyCard
                  key={entry.name}
                  entry={entry}
                  canRetire={canRetire}
                  countedAt={countedAt}
                  onRetire={(version) => open(entry, version)}
                />
              ))}
            </ul>
          );
        }}
      </Loaded>
      {target ? (
        <RetireDialog
          target={target}
          onRetired={(answer) => void retired(answer)}
          onCancel={() => setTarget(null)}
          returnFocus={() => doneRef.current?.focus()}
        />
      ) : null}
    </section>
  );
}
