// /deliveries, for admins: how many notifications are in each state of the delivery queue (GET
// /v1/admin/deliveries/summary), and the deliveries that failed for good (GET
// /v1/admin/deliveries): to whom, by which channel, about what, how often it was tried and the
// last error, each with "Retry", which queues it again now (POST .../retry). A retried delivery
// leaves the failed list, so what the retry did is said above the list, not in its row.
import { useId, useState } from 'react';
import { type ApiFailure, api, asFailure, type paths, unwrap } from '../../api-client/client.js';
import { failureOf, networkFailure } from '../../api-client/failure.js';
import { useLive } from '../../app/live.js';
import { usePagedList } from '../../app/paged-list.js';
import { Link } from '../../app/router.js';
import { LoadMore } from '../../components/LoadMore.js';
import { Empty, ErrorNotice, Loaded, Loading } from '../../components/states.js';

type Failed =
  paths['/v1/admin/deliveries']['get']['responses']['200']['content']['application/json']['items'][number];
type Summary =
  paths['/v1/admin/deliveries/summary']['get']['responses']['200']['content']['application/json'];

const PAGE_SIZE = 25;

/** The queue's states in the order a delivery passes them, in words. */
const STATES: { key: keyof Summary; label: string }[] = [
  { key: 'pending', label: 'Waiting' },
  { key: 'leased', label: 'Being sent' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'digested', label: 'Put in a digest' },
  { key: 'skipped', label: 'Skipped' },
  { key: 'failed', label: 'Failed' },
];

export const CHANNEL_WORDS: Record<Failed['channel'], string> = {
  inapp: 'In-app list',
  email: 'E-mail',
  chat: 'Chat',
};

const instant = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});
const showInstant = (iso: string | null): string =>
  iso === null ? 'unknown' : instant.format(new Date(iso));

/** POST .../retry: its 204 has no body, which `unwrap` would take for a failure. */
async function retryDelivery(id: string): Promise<void> {
  let answer;
  try {
    answer = await api.POST('/v1/admin/deliveries/{id}/retry', { params: { path: { id } } });
  } catch (error) {
    throw networkFailure(error);
  }
  if (!answer.response.ok) throw failureOf(answer.response.status, answer.error);
}

type Outcome = { ok: true; text: string } | { ok: false; what: string; failure: ApiFailure };

export function DeliveriesPage() {
  const id = useId();
  const summary = useLive('deliveries:summary', () => unwrap(api.GET('/v1/admin/deliveries/summary')));
  const list = usePagedList<Failed>(
    'deliveries:failed',
    (cursor) =>
      unwrap(
        api.GET('/v1/admin/deliveries', {
          params: { query: { status: 'failed', limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) } },
        }),
      ),
    (d) => d.id,
  );
  const [retrying, setRetrying] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Retried here: gone from the queue of failures even on pages read before.
  const [retried, setRetried] = useState<ReadonlySet<string>>(new Set());
  const rows = list.items.filter((d) => !retried.has(d.id));

  const retry = async (d: Failed): Promise<void> => {
    const what = `${CHANNEL_WORDS[d.channel].toLowerCase()} to ${d.recipient} (${d.subject})`;
    setRetrying(d.id);
    setOutcome(null);
    try {
      await retryDelivery(d.id);
      setRetried((s) => new Set([...s, d.id]));
      setOutcome({ ok: true, text: `Queued again: the ${what}. The worker sends it within a minute.` });
      await Promise.all([list.first.reload(), summary.reload()]);
    } catch (error) {
      setOutcome({ ok: false, what, failure: asFailure(error) });
    } finally {
      setRetrying(null);
    }
  };

  return (
    <section className="page deliveries" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Deliveries</h1>
      <p className="lead">
        Notifications on their way to people&apos;s mail, chat and Charter list, and the ones that could not
        be delivered.
      </p>
      <section className="card" aria-labelledby={`${id}-summary`}>
        <h2 id={`${id}-summary`}>By state</h2>
        <Loaded read={summary} what="the delivery counts">
          {(counts) => (
            <dl className="audit-tiles deliveries-tiles">
              {STATES.map((s) => (
                <div className="audit-tile" key={s.key}>
                  <dt>{s.label}</dt>
                  <dd>{counts[s.key]}</dd>
                </div>
              ))}
            </dl>
          )}
        </Loaded>
      </section>

      <section aria-labelledby={`${id}-failed`} className="deliveries-failed">
        <h2 id={`${id}-failed`}>Failed deliveries</h2>
        <p className="field-help">
          Tried until a server refused for good (an address that does not exist, a webhook that is gone) or
          too many times. Fix the person&apos;s contact details first, then retry.
        </p>
        <div aria-live="polite">
          {outcome?.ok ? <p className="notice notice-ok">{outcome.text}</p> : null}
        </div>
        {outcome && !outcome.ok ? (
          <ErrorNotice failure={outcome.failure} title={`Could not retry the ${outcome.what}`} />
        ) : null}
        {list.first.data === null ? (
          list.first.error ? (
            <ErrorNotice
              failure={list.first.error}
              title="Could not load the failed deliveries"
              onRetry={() => void list.first.reload()}
            />
          ) : (
            <Loading what="the failed deliveries" />
          )
        ) : rows.length === 0 ? (
          <Empty title="No failed deliveries">
            Every notification so far was delivered, skipped on purpose, or is on its way.
          </Empty>
        ) : (
          <FailedTable rows={rows} retrying={retrying} onRetry={(d) => void retry(d)} />
        )}
        <LoadMore list={list} what="failed deliveries" />
      </section>
    </section>
  );
}

function FailedTable({
  rows,
  retrying,
  onRetry,
}: {
  rows: Failed[];
  retrying: string | null;
  onRetry: (d: Failed) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="data stack-table deliveries-table">
        <caption className="visually-hidden">Failed deliveries, newest failure first</caption>
        <thead>
          <tr>
            <th scope="col">Recipient</th>
            <th scope="col">Channel</th>
            <th scope="col">Subject</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">Failed at</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id}>
              <th scope="row" data-label="Recipient">
                {d.recipient}
              </th>
              <td data-label="Channel">{CHANNEL_WORDS[d.channel]}</td>
              <td data-label="Subject">{d.path ? <Link to={d.path}>{d.subject}</Link> : d.subject}</td>
              <td data-label="Attempts">{d.attempts}</td>
              <td data-label="Last error">
                {d.lastError ? <code>{d.lastError}</code> : <span className="muted">none recorded</span>}
              </td>
              <td data-label="Failed at">{showInstant(d.failedAt)}</td>
              <td data-label="Action">
                <button
                  type="button"
                  className="button"
                  disabled={retrying !== null}
                  aria-label={`Retry the ${CHANNEL_WORDS[d.channel].toLowerCase()} to ${d.recipient}: ${d.subject}`}
                  onClick={() => onRetry(d)}
                >
                  {retrying === d.id ? 'Retrying…' : 'Retry'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
