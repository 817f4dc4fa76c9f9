// The impact of the draft, instance by instance, in the publish confirmation: the server replays
// the last N finished requests of the version in force through the draft
// (POST /v1/policies/{name}/impact) and this lists every one of them with what would differ, the
// people the draft would wait for ("would wait for X at step", never a guess of what they would
// decide) and why a request could not be replayed. The counts are filter buttons, the list is
// shown a page at a time, and the author may ask for more or fewer requests (1 to 2,000; the
// default 200 is the server's). The number field sits inside the publish form: Enter replays, it
// never publishes.
import { type KeyboardEvent, useEffect, useId, useState } from 'react';
import { type ApiFailure, asFailure } from '../../api-client/client.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import type { Draft } from './draft.js';
import { type Baseline, type Impact, impactOf } from './publish-changes.js';

type Verdict = Impact['instances'][number]['verdict'];
type Shown = Verdict | 'all';

const VERDICT_WORDS: Record<Verdict, string> = {
  same: 'same outcome',
  differs: 'would differ',
  wouldWait: 'would still wait',
  notReplayed: 'not replayed',
};
const FILTERS: readonly Shown[] = ['all', 'differs', 'wouldWait', 'same', 'notReplayed'];
const FILTER_WORDS: Record<Shown, string> = {
  all: 'All',
  differs: 'Would differ',
  wouldWait: 'Would still wait',
  same: 'Same outcome',
  notReplayed: 'Not replayed',
};
/** Requests listed per "Show more". */
const PAGE = 20;
/** The server's own default (api/policies/impact.ts). */
const DEFAULT_LAST = 200;
const MOST = 2000;

type Read = { kind: 'loading' } | { kind: 'failed'; failure: ApiFailure } | { kind: 'done'; value: Impact };

/** What is wrong with the typed number of requests, or null. */
export function lastProblem(typed: string): string | null {
  const n = Number(typed);
  if (typed.trim() === '' || !Number.isInteger(n) || n < 1 || n > MOST) {
    return `Enter a whole number from 1 to ${MOST.toLocaleString('en')}.`;
  }
  return null;
}

interface ImpactListProps {
  name: string;
  base: Baseline;
  draft: Draft;
}

export function ImpactList({ name, base, draft }: ImpactListProps) {
  const [last, setLast] = useState(DEFAULT_LAST);
  const [read, setRead] = useState<Read>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    setRead({ kind: 'loading' });
    impactOf(name, base, draft, last).then(
      (value) => live && setRead({ kind: 'done', value }),
      (error: unknown) => live && setRead({ kind: 'failed', failure: asFailure(error) }),
    );
    return () => {
      live = false;
    };
    // The draft does not change while the confirmation is open; only `last` does.
  }, [last]);

  return (
    <>
      <ReplayCount last={last} busy={read.kind === 'loading'} onReplay={setLast} />
      {read.kind === 'loading' ? <Loading what="the impact on finished requests" /> : null}
      {read.kind === 'failed' ? (
        <ErrorNotice failure={read.failure} title="Impact could not be computed" />
      ) : null}
      {read.kind === 'done' ? <ImpactInstances impact={read.value} /> : null}
    </>
  );
}

function ReplayCount({
  last,
  busy,
  onReplay,
}: {
  last: number;
  busy: boolean;
  onReplay: (n: number) => void;
}) {
  const fieldId = useId();
  const problemId = useId();
  const [typed, setTyped] = useState(String(last));
  const [problem, setProblem] = useState<string | null>(null);

  const replay = (): void => {
    const found = lastProblem(typed);
    setProblem(found);
    if (found === null) onReplay(Number(typed));
  };
  const enter = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    replay();
  };

  return (
    <div className="field studio-impact-last">
      <label htmlFor={fieldId}>Finished requests to replay</label>
      <div className="studio-impact-last-row">
        <input
          id={fieldId}
          type="number"
          inputMode="numeric"
          min={1}
          max={MOST}
          value={typed}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={enter}
        />
        <button type="button" className="button" onClick={replay} disabled={busy}>
          Replay
        </button>
      </div>
      {problem ? (
        <p id={problemId} className="field-problem">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

function ImpactInstances({ impact }: { impact: Impact }) {
  const { summary } = impact;
  const [shown, setShown] = useState<Shown>('all');
  const [pages, setPages] = useState(1);
  if (summary.instances === 0) {
    return (
      <p className="muted">
        Version {impact.base.version} has no finished requests to replay: nothing to compare yet.
      </p>
    );
  }
  const counts: Record<Shown, number> = { ...summary, all: summary.instances };
  const matching = impact.instances.filter((i) => shown === 'all' || i.verdict === shown);
  const listed = matching.slice(0, pages * PAGE);
  return (
    <div className="studio-impact">
      <p>
        Replayed the last {summary.instances} finished {summary.instances === 1 ? 'request' : 'requests'} of
        version {impact.base.version} through the draft
        {impact.last > summary.instances ? ` (${impact.last} asked for; only these have finished)` : ''}:
      </p>
      <div className="status-filter studio-impact-counts" role="group" aria-label="Show requests">
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            className="button"
            aria-pressed={f === shown}
            onClick={() => {
              setShown(f);
              setPages(1);
            }}
          >
            {FILTER_WORDS[f]} ({counts[f]})
          </button>
        ))}
      </div>
      {summary.replayDiffersFromRecord > 0 ? (
        <p className="notice notice-warning">
          {summary.replayDiffersFromRecord} of these replay differently under their own version than the
          ledger recorded (for example a person away then and not now): their comparison is less certain.
        </p>
      ) : null}
      {listed.length === 0 ? (
        <p className="muted">No request {FILTER_WORDS[shown].toLowerCase()}.</p>
      ) : (
        <ul className="studio-impact-instances" aria-label={`Requests: ${FILTER_WORDS[shown].toLowerCase()}`}>
          {listed.map((i) => (
            <InstanceLine key={i.instanceId} instance={i} />
          ))}
        </ul>
      )}
      {matching.length > listed.length ? (
        <button type="button" className="button" onClick={() => setPages(pages + 1)}>
          Show {Math.min(PAGE, matching.length - listed.length)} more of {matching.length - listed.length}
        </button>
      ) : null}
    </div>
  );
}

function InstanceLine({ instance: i }: { instance: Impact['instances'][number] }) {
  // A wait is both a difference and the candidate's state: say it once.
  const waits = i.candidate?.waitingFor ?? [];
  const others = i.differences.filter((d) => d.kind !== 'wouldWait');
  return (
    <li className={`studio-impact-instance studio-impact-${i.verdict}`}>
      {/* A new tab: following it must not close the confirmation. */}
      <a href={`/instances/${encodeURIComponent(i.instanceId)}`} target="_blank" rel="noopener">
        <code>{i.instanceId}</code>
        <span className="visually-hidden"> (opens in a new tab)</span>
      </a>{' '}
      ({i.recordedStatus}): <strong>{VERDICT_WORDS[i.verdict]}</strong>
      {i.reason ? `: ${i.reason}` : ''}
      {waits.length > 0 || others.length > 0 ? (
        <ul>
          {waits.map((w) => (
            <li key={`wait:${w.step}`} className="studio-impact-wait">
              {w.text}
            </li>
          ))}
          {others.map((d, n) => (
            <li key={n}>{d.text}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
