// /policies?compare=<name>&from=<v>&to=<v>: what changed between two published versions of a
// policy (GET /v1/policies/{name}/diff). First the two versions side by side (effective day, who
// published them and when, retired or not), then the process changes grouped by step, then the
// changes of the policy's header, roles, rules and calendars, then each source file line by line.
// Versions never change, so the comparison is read once (not polled). Another pair can be chosen
// right here; a version that does not exist is the API's 404 with its field path.
import { useId } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link } from '../../app/router.js';
import { Empty, Loaded } from '../../components/states.js';
import { PersonId } from '../../components/PersonId.js';
import { dayText, instantText } from './catalogue.js';
import type { PolicyDiff } from './comparison.js';
import { ComparePicker } from './ComparePicker.js';
import { ProcessChanges } from './ProcessChanges.js';
import { SourceDiff } from './SourceDiff.js';

type Side = PolicyDiff['from'];
type Definition = PolicyDiff['definitions'][number];

const DEFINITION_WORDS: Record<Exclude<Definition['kind'], 'policy'>, string> = {
  role: 'Role',
  rule: 'Rule',
  calendar: 'Calendar',
};

function VersionSide({ label, side }: { label: string; side: Side }) {
  return (
    <div className="diff-side">
      <h2 className="diff-side-title">
        {label}: version {side.version}
      </h2>
      <dl className="diff-facts">
        <dt>Effective</dt>
        <dd>{dayText(side.effective)}</dd>
        <dt>Published</dt>
        <dd>
          <time dateTime={side.publishedAt}>{instantText(side.publishedAt)}</time> by{' '}
          <PersonId id={side.publishedBy} />
        </dd>
        <dt>Now</dt>
        <dd>
          {side.retired === null ? (
            'Not retired'
          ) : (
            <>
              <span className="badge badge-cancelled">Retired</span> on{' '}
              <time dateTime={side.retired.at}>{instantText(side.retired.at)}</time>:{' '}
              <q>{side.retired.reason}</q>
            </>
          )}
        </dd>
      </dl>
    </div>
  );
}

function Definitions({ changes }: { changes: readonly Definition[] }) {
  const id = useId();
  if (changes.length === 0) return null;
  return (
    <section className="card diff-block" aria-labelledby={id}>
      <h2 id={id}>Header, roles, rules and calendars</h2>
      <ul className="diff-changes">
        {changes.map((c) => (
          <li key={`${c.kind}:${c.name}`}>
            <span className="diff-what">
              {c.kind === 'policy' ? (
                <>{c.name === 'effective' ? 'Effective day' : 'Owner'} </>
              ) : (
                <>
                  {DEFINITION_WORDS[c.kind]} <code>{c.name}</code>{' '}
                </>
              )}
              {c.status}
            </span>
            {c.before !== null ? (
              <span className="diff-before">
                <span className="diff-label">Before:</span> <code>{c.before}</code>
              </span>
            ) : null}
            {c.after !== null ? (
              <span className="diff-after">
                <span className="diff-label">After:</span> <code>{c.after}</code>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DiffBody({ diff }: { diff: PolicyDiff }) {
  const processesId = useId();
  const sourcesId = useId();
  const changed = diff.processes.filter((p) => p.status !== 'same');
  return (
    <>
      <div className="diff-sides">
        <VersionSide label="From" side={diff.from} />
        <VersionSide label="To" side={diff.to} />
      </div>
      {diff.same ? (
        <p className="notice notice-ok" role="status">
          Versions {diff.from.version} and {diff.to.version} compile to the same policy: nothing a request
          sees has changed.
        </p>
      ) : null}
      <section className="diff-block" aria-labelledby={processesId}>
        <h2 id={processesId}>Process changes</h2>
        {changed.length === 0 ? (
          <Empty title="No process changed">
            Every process has the same steps, inputs, approvers, deadlines and conditions in both versions.
          </Empty>
        ) : (
          changed.map((process) => <ProcessChanges key={process.name} process={process} />)
        )}
      </section>
      <Definitions changes={diff.definitions} />
      <section className="diff-block" aria-labelledby={sourcesId}>
        <h2 id={sourcesId}>Source changes</h2>
        {diff.sources.map((source) => (
          <SourceDiff key={`${source.fromPath ?? ''}>${source.path}`} source={source} />
        ))}
      </section>
    </>
  );
}

interface DiffViewProps {
  name: string;
  from: number;
  to: number;
  /** Every published version of the policy, newest first, for choosing another pair (may be empty while loading). */
  versions: readonly number[];
}

export function DiffView({ name, from, to, versions }: DiffViewProps) {
  const id = useId();
  const read = useLive(
    `policies:diff:${name}:${from}:${to}`,
    () =>
      unwrap(
        api.GET('/v1/policies/{name}/diff', {
          params: { path: { name }, query: { from, to } },
        }),
      ),
    { live: false },
  );
  return (
    <section className="page policy-diff" aria-labelledby={`${id}-title`}>
      <p className="diff-back">
        <Link to="/policies">← All policies</Link>
      </p>
      <h1 id={`${id}-title`}>
        {name}: version {from} → version {to}
      </h1>
      {versions.length > 1 ? (
        <ComparePicker key={`${from}:${to}`} name={name} versions={versions} from={from} to={to} />
      ) : null}
      <Loaded read={read} what="the comparison">
        {(diff) => <DiffBody diff={diff} />}
      </Loaded>
    </section>
  );
}
